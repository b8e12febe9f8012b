"""Listing's view of pledges and exclusive/sole licences, and pledgees' consents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from listing import mapping
from listing.domain.encumbrance import Encumbrance, EncumbranceKind, EncumbranceView
from listing.models import EncumbranceRecord, PledgeeConsentRecord
from shared.domain.terms import ConsentSubject


class EncumbranceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active(self, application_number: str) -> list[Encumbrance]:
        e = EncumbranceRecord
        query = select(e).where(
            col(e.application_number) == application_number, col(e.active).is_(True)
        )
        return [mapping.to_encumbrance(r) for r in (await self.session.execute(query)).scalars()]

    async def history(self, application_number: str) -> list[Encumbrance]:
        """Every encumbrance known on the patent, released ones too, oldest first."""
        e = EncumbranceRecord
        query = (
            select(e)
            .where(col(e.application_number) == application_number)
            .order_by(col(e.effective_from), col(e.reference_id))
        )
        return [mapping.to_encumbrance(r) for r in (await self.session.execute(query)).scalars()]

    async def view(self, application_number: str) -> EncumbranceView:
        return EncumbranceView(tuple(await self.active(application_number)))

    async def upsert(self, application_number: str, encumbrance: Encumbrance, at: datetime) -> None:
        """Record the encumbrance as active (again, if it was known)."""
        values = {
            "application_number": application_number,
            "kind": encumbrance.kind.value,
            "reference_id": encumbrance.reference_id,
            "holder": encumbrance.holder,
            "active": True,
            "released_at": None,
            "open_license_consented": encumbrance.open_license_consented,
            "effective_from": encumbrance.effective_from,
            "updated_at": at,
        }
        statement = insert(EncumbranceRecord).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["application_number", "kind", "reference_id"],
                set_={k: statement.excluded[k] for k in values if k not in ("kind",)},
            )
        )

    async def release(self, kind: EncumbranceKind, reference_id: str, at: datetime) -> None:
        e = EncumbranceRecord
        await self.session.execute(
            update(e)
            .where(col(e.kind) == kind.value, col(e.reference_id) == reference_id)
            .values(active=False, released_at=at, updated_at=at)
        )

    async def consent_to_open_license(self, kind: EncumbranceKind, reference_id: str) -> None:
        e = EncumbranceRecord
        await self.session.execute(
            update(e)
            .where(col(e.kind) == kind.value, col(e.reference_id) == reference_id)
            .values(open_license_consented=True)
        )

    async def add_consent(
        self,
        *,
        pledge_id: str,
        application_number: str,
        consent_to: ConsentSubject,
        counterparty_uscc: str,
        recorded_on: date,
    ) -> None:
        """Keep a pledgee's consent (once: a redelivered event changes nothing)."""
        await self.session.execute(
            insert(PledgeeConsentRecord)
            .values(
                pledge_id=pledge_id,
                application_number=application_number,
                consent_to=consent_to.value,
                counterparty_uscc=counterparty_uscc,
                recorded_on=recorded_on,
            )
            .on_conflict_do_nothing()
        )

    async def consented_counterparties(
        self, pledge_id: str, application_number: str, consent_to: ConsentSubject
    ) -> list[str]:
        """Whom the pledgee consented to (an empty name: anyone)."""
        c = PledgeeConsentRecord
        query = select(c.counterparty_uscc).where(
            col(c.pledge_id) == pledge_id,
            col(c.application_number) == application_number,
            col(c.consent_to) == consent_to.value,
        )
        return list((await self.session.execute(query)).scalars())
