"""Implementations of patents, and the state-funded patents due for flagging."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from listing import mapping
from listing.domain.funding import Implementation
from listing.domain.patent import LegalStatus, Patent
from listing.models import ImplementationRecord, PatentRecord


class ImplementationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, implementation: Implementation) -> bool:
        """Insert; False if this licence or transfer was recorded already (a redelivered
        event, a replay)."""
        values = {
            "id": implementation.id,
            "application_number": implementation.application_number,
            "kind": implementation.kind.value,
            "occurred_on": implementation.occurred_on,
            "reference": implementation.reference,
            "description": implementation.description,
            "evidence_document_ids": list(implementation.evidence_document_ids),
            "recorded_by_org_id": implementation.recorded_by_org_id,
            "recorded_at": implementation.recorded_at,
        }
        result = await self.session.execute(
            insert(ImplementationRecord)
            .values(**values)
            .on_conflict_do_nothing(
                index_elements=["application_number", "kind", "reference"],
                index_where=text("reference IS NOT NULL"),
            )
            .returning(col(ImplementationRecord.id))
        )
        return result.first() is not None

    async def unexploited_due(self, latest_grant: date, limit: int) -> list[Patent]:
        """Valid state-funded patents granted on or before ``latest_grant``, not flagged,
        with no implementation; locked with SKIP LOCKED, so instances share the sweep."""
        p, i = PatentRecord, ImplementationRecord
        query = (
            select(p)
            .where(col(p.state_funded))
            .where(col(p.unexploited_flagged_on).is_(None))
            .where(col(p.legal_status) == LegalStatus.VALID.value)
            .where(col(p.grant_date) <= latest_grant)
            .where(~exists().where(col(i.application_number) == col(p.application_number)))
            .order_by(col(p.grant_date), col(p.application_number))
            .limit(limit)
            .with_for_update(of=p, skip_locked=True)
        )
        return [mapping.to_patent(r) for r in (await self.session.execute(query)).scalars()]
