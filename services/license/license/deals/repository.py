"""Deals and their signatures, loaded and saved as ``Deal``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from license.deals import mapping
from license.deals.models import DealRecord, DealSignatureRecord
from license.domain.deal import (
    PENDING_STATES,
    UNFINISHED_STATES,
    Deal,
    DealState,
    Signature,
)
from shared.clock import Clock
from shared.db.rows import loaded_row


class DealRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def add(self, deal: Deal) -> None:
        now = self.clock.now()
        deal.created_at = deal.created_at or now
        self.session.add(mapping.deal_record(deal, now))
        await self.session.flush()

    async def save(self, deal: Deal) -> None:
        """Save a deal loaded by this repository in this unit of work."""
        record = await loaded_row(self.session, DealRecord, deal.id)
        assert record is not None  # loaded in this unit of work
        mapping.apply_deal(record, deal, self.clock.now())
        await self.session.flush()

    async def add_signature(self, deal_id: str, signed: Signature, content: bytes) -> None:
        self.session.add(mapping.signature_record(deal_id, signed, content))
        await self.session.flush()

    async def get(self, deal_id: str, *, for_update: bool = False) -> Deal | None:
        query = select(DealRecord).where(DealRecord.id == deal_id)
        if for_update:
            # Offers, acceptances and signatures of one deal serialise on its row; read
            # it again under the lock, over a copy this unit of work may have read before.
            query = query.with_for_update().execution_options(populate_existing=True)
        record = (await self.session.execute(query)).scalar_one_or_none()
        if record is None:
            return None
        return (await self._deals([record]))[0]

    async def pending_on(self, application_number: str) -> list[Deal]:
        """The patent's deals agreed but not yet in effect (or recorded): their scope is
        reserved. Read under the patent's licensing lock."""
        return await self._query(
            select(DealRecord).where(
                col(DealRecord.application_number) == application_number,
                col(DealRecord.state).in_([s.value for s in PENDING_STATES]),
            )
        )

    async def unfinished_on(self, application_number: str) -> list[Deal]:
        """The patent's deals not yet in effect or recorded, locked to be failed."""
        return await self._query(
            select(DealRecord)
            .where(
                col(DealRecord.application_number) == application_number,
                col(DealRecord.state).in_([s.value for s in UNFINISHED_STATES]),
            )
            .order_by(col(DealRecord.id))
            .with_for_update()
        )

    async def list_deals(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        visible_to: tuple[str, str | None] | None,
        application_number: str | None,
        state: DealState | None,
    ) -> list[Deal]:
        """Newest first. ``visible_to`` (org id, USCC) keeps the deals that organisation
        is a party to; ``None`` keeps all (the operator)."""
        query = select(DealRecord).order_by(
            col(DealRecord.created_at).desc(), col(DealRecord.id).desc()
        )
        if visible_to is not None:
            org_id, uscc = visible_to
            parties: list[ColumnElement[bool]] = [
                col(DealRecord.patentee_org_id) == org_id,
                col(DealRecord.counterparty_org_id) == org_id,
            ]
            if uscc is not None:
                parties.append(col(DealRecord.patentee_uscc) == uscc)
                parties.append(col(DealRecord.counterparty_uscc) == uscc)
            query = query.where(or_(*parties))
        if application_number is not None:
            query = query.where(col(DealRecord.application_number) == application_number)
        if state is not None:
            query = query.where(col(DealRecord.state) == state.value)
        if after is not None:
            created_at, deal_id = after
            query = query.where(
                (col(DealRecord.created_at) < created_at)
                | ((col(DealRecord.created_at) == created_at) & (col(DealRecord.id) < deal_id))
            )
        return await self._query(query.limit(limit))

    async def _query(self, query: SelectOfScalar[DealRecord]) -> list[Deal]:
        return await self._deals(list((await self.session.execute(query)).scalars()))

    async def _deals(self, records: list[DealRecord]) -> list[Deal]:
        if not records:
            return []
        query = (
            select(DealSignatureRecord)
            # The documents themselves are evidence, never read back with the deal.
            .options(defer(DealSignatureRecord.content))  # type: ignore[arg-type]
            .where(col(DealSignatureRecord.deal_id).in_([r.id for r in records]))
            .order_by(col(DealSignatureRecord.signed_at))
        )
        signed: dict[str, list[DealSignatureRecord]] = {}
        for s in (await self.session.execute(query)).scalars():
            signed.setdefault(s.deal_id, []).append(s)
        return [mapping.deal(r, signed.get(r.id, [])) for r in records]
