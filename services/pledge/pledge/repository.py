"""The pledge aggregate (with its consents) and pledge's views of other services' data.

Each area's own aggregates have their repository in the area's package
(``banks/repository.py``, ...). All SQL of the service lives in repositories.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_, select

from pledge import mapping
from pledge.domain.pledge import ENCUMBERING, Consent, Pledge, PledgeStatus
from pledge.domain.precheck import AgreedTransfer, PatentView
from pledge.models import (
    DeclarationViewRecord,
    LicenseViewRecord,
    PatentViewRecord,
    PledgeConsentRecord,
    PledgePatentRecord,
    PledgeRecord,
    TransferViewRecord,
)
from shared.db.rows import loaded_row
from shared.domain.terms import ConsentSubject

# A withdrawal, lapse or expiry ends a declaration for good.
DECLARATION_ENDED = ("withdrawn", "lapsed", "expired")


class PledgeRepository:
    """Pledges, loaded and saved as :class:`Pledge` aggregates, and their consents."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, pledge: Pledge) -> None:
        self.session.add(PledgeRecord(**mapping.pledge_columns(pledge)))
        await self.session.flush()
        for number in pledge.application_numbers:
            self.session.add(PledgePatentRecord(pledge_id=pledge.id, application_number=number))
        await self.session.flush()

    async def get(self, pledge_id: str) -> Pledge | None:
        return await self._one(select(PledgeRecord).where(col(PledgeRecord.id) == pledge_id))

    async def get_for_update(self, pledge_id: str) -> Pledge | None:
        query = select(PledgeRecord).where(col(PledgeRecord.id) == pledge_id).with_for_update()
        return await self._one(query)

    async def save(self, pledge: Pledge) -> None:
        row = await loaded_row(self.session, PledgeRecord, pledge.id)
        assert row is not None, f"pledge {pledge.id} was never added"
        mapping.update_row(row, mapping.pledge_columns(pledge))
        self.session.add(row)
        await self.session.flush()

    async def _one(self, query: Any) -> Pledge | None:
        row = (await self.session.execute(query)).scalar_one_or_none()
        return None if row is None else mapping.pledge_of(row)

    async def _many(self, query: Any) -> list[Pledge]:
        return [mapping.pledge_of(r) for r in (await self.session.execute(query)).scalars()]

    async def pledged_numbers(
        self, numbers: list[str], *, excluding: str | None = None
    ) -> set[str]:
        """Which of ``numbers`` a registered pledge covers."""
        query = (
            select(PledgePatentRecord.application_number)
            .join(PledgeRecord, col(PledgeRecord.id) == col(PledgePatentRecord.pledge_id))
            .where(
                col(PledgePatentRecord.application_number).in_(numbers),
                col(PledgeRecord.status).in_([s.value for s in ENCUMBERING]),
            )
        )
        if excluding is not None:
            query = query.where(col(PledgeRecord.id) != excluding)
        return set((await self.session.execute(query)).scalars())

    async def covering(self, number: str, statuses: frozenset[PledgeStatus]) -> list[Pledge]:
        """Pledges of a patent in the given states, locked for update in a fixed order."""
        query = (
            select(PledgeRecord)
            .join(PledgePatentRecord, col(PledgeRecord.id) == col(PledgePatentRecord.pledge_id))
            .where(
                col(PledgePatentRecord.application_number) == number,
                col(PledgeRecord.status).in_(sorted(s.value for s in statuses)),
            )
            .order_by(col(PledgeRecord.id))
            .with_for_update(of=PledgeRecord)
        )
        return await self._many(query)

    async def page(
        self, *, limit: int, after: tuple[datetime, str] | None, org_id: str | None
    ) -> list[Pledge]:
        p = PledgeRecord
        query = select(p).order_by(col(p.created_at).desc(), col(p.id).desc()).limit(limit)
        if org_id is not None:
            query = query.where(
                or_(
                    # A bank does not see drafts addressed to it until they are submitted.
                    (col(p.pledgee_org_id) == org_id) & (col(p.status) != PledgeStatus.DRAFT.value),
                    col(p.pledgor_org_id) == org_id,
                )
            )
        if after is not None:
            created_at, last_id = after
            query = query.where(
                or_(
                    col(p.created_at) < created_at,
                    (col(p.created_at) == created_at) & (col(p.id) < last_id),
                )
            )
        return await self._many(query)

    # -- consents ------------------------------------------------------------------------

    async def add_consent(self, consent: Consent) -> None:
        self.session.add(mapping.consent_row(consent))
        await self.session.flush()

    async def has_consent(self, pledge_id: str, subject: ConsentSubject) -> bool:
        query = select(PledgeConsentRecord.id).where(
            col(PledgeConsentRecord.pledge_id) == pledge_id,
            col(PledgeConsentRecord.consent_to) == subject.value,
        )
        return (await self.session.execute(query.limit(1))).first() is not None

    async def consents(self, pledge_id: str) -> list[Consent]:
        query = (
            select(PledgeConsentRecord)
            .where(col(PledgeConsentRecord.pledge_id) == pledge_id)
            .order_by(col(PledgeConsentRecord.created_at), col(PledgeConsentRecord.id))
        )
        return [mapping.consent_of(r) for r in (await self.session.execute(query)).scalars()]


class ViewRepository:
    """Pledge's own views of the catalogue, declarations and licences, kept from other
    services' events. Written by statement (upserts), read as domain values."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert_patent(self, values: dict[str, Any], *, at: datetime) -> None:
        statement = insert(PatentViewRecord).values(**values, updated_at=at)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["application_number"],
                set_={k: statement.excluded[k] for k in (*values, "updated_at")},
            )
        )

    async def update_patent(
        self, application_number: str, *, at: datetime, legal_event: bool = False, **values: Any
    ) -> bool:
        """Update the view; ``legal_event`` also counts a status change (for valuation)."""
        if legal_event:
            values["status_change_count"] = col(PatentViewRecord.status_change_count) + 1
        result = await self.session.execute(
            update(PatentViewRecord)
            .where(col(PatentViewRecord.application_number) == application_number)
            .values(**values, updated_at=at)
            .returning(col(PatentViewRecord.application_number))
        )
        return result.first() is not None

    async def patents(
        self, numbers: list[str], *, for_update: bool = False
    ) -> dict[str, PatentView]:
        query = (
            select(PatentViewRecord)
            .where(col(PatentViewRecord.application_number).in_(numbers))
            # A fixed order, so two transactions locking overlapping sets cannot deadlock.
            .order_by(col(PatentViewRecord.application_number))
        )
        if for_update:
            query = query.with_for_update()
        rows = (await self.session.execute(query)).scalars()
        return {r.application_number: mapping.patent_view_of(r) for r in rows}

    async def set_declaration(
        self, declaration_id: str, application_number: str, status: str, *, at: datetime
    ) -> None:
        statement = insert(DeclarationViewRecord).values(
            declaration_id=declaration_id,
            application_number=application_number,
            status=status,
            updated_at=at,
        )
        still_open = col(DeclarationViewRecord.status).not_in(DECLARATION_ENDED)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["declaration_id"],
                set_={
                    "status": statement.excluded.status,
                    "updated_at": statement.excluded.updated_at,
                },
                where=still_open,
            )
        )

    async def declared_numbers(self, numbers: list[str]) -> set[str]:
        """Which of ``numbers`` carry an announced open-licence declaration."""
        query = select(DeclarationViewRecord.application_number).where(
            col(DeclarationViewRecord.application_number).in_(numbers),
            col(DeclarationViewRecord.status) == "announced",
        )
        return set((await self.session.execute(query)).scalars())

    async def add_transfer(self, values: dict[str, Any]) -> None:
        await self.session.execute(
            insert(TransferViewRecord).values(**values).on_conflict_do_nothing()
        )

    async def end_transfer(self, deal_id: str) -> None:
        await self.session.execute(
            delete(TransferViewRecord).where(col(TransferViewRecord.deal_id) == deal_id)
        )

    async def transfers_agreed(self, numbers: list[str]) -> list[AgreedTransfer]:
        """Transfers of ``numbers`` agreed and not yet recorded (nor failed)."""
        query = select(TransferViewRecord).where(
            col(TransferViewRecord.application_number).in_(numbers)
        )
        return [
            AgreedTransfer(r.deal_id, r.application_number, r.transferees, r.signed_on)
            for r in (await self.session.execute(query)).scalars()
        ]

    async def add_license(self, values: dict[str, Any]) -> None:
        await self.session.execute(
            insert(LicenseViewRecord)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["license_id"])
        )

    async def end_license(self, license_id: str, *, ended_on: date, reason: str) -> None:
        """Record a licence's end (license keys its grant and end by the application
        number, so the grant is known)."""
        await self.session.execute(
            update(LicenseViewRecord)
            .where(col(LicenseViewRecord.license_id) == license_id)
            .values(ended_on=ended_on, end_reason=reason)
        )

    async def licensed_patent(self, license_id: str) -> str | None:
        """The patent a known licence is on."""
        licence = await self.session.get(LicenseViewRecord, license_id)
        return None if licence is None else licence.application_number

    async def licensing_history(self, numbers: list[str]) -> dict[str, tuple[int, Decimal]]:
        """Per patent: licences on record and the sum of their contract values."""
        query = (
            select(
                col(LicenseViewRecord.application_number),
                func.count(),
                func.coalesce(func.sum(col(LicenseViewRecord.contract_value)), 0),
            )
            .where(col(LicenseViewRecord.application_number).in_(numbers))
            .group_by(col(LicenseViewRecord.application_number))
        )
        rows = (await self.session.execute(query)).all()
        return {number: (int(count), Decimal(total or 0)) for number, count, total in rows}
