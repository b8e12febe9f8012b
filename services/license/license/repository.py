"""Every query of the license service."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, or_, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from license.models import (
    DeclarationViewRecord,
    LicenseBreachRecord,
    LicensePaymentRecord,
    LicenseRecord,
    PatentStatusViewRecord,
    PledgeConsentRecord,
    PledgeViewRecord,
    RoyaltyPeriodRecord,
)

# The predicate of the partial unique index uq_licenses_held_per_declaration.
_HELD = text("status IN ('awaiting_payment', 'active', 'filed')")


class LicenseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- declaration view ----------------------------------------------------------------

    async def get_declaration_view(
        self, declaration_id: str, *, lock: str | None = None
    ) -> DeclarationViewRecord | None:
        """``lock="update"`` for the consumers that change the view; ``lock="share"`` for
        acceptances, which then wait for a withdrawal in progress but not for each other."""
        query = select(DeclarationViewRecord).where(
            DeclarationViewRecord.declaration_id == declaration_id
        )
        if lock == "update":
            query = query.with_for_update()
        elif lock == "share":
            query = query.with_for_update(read=True)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add_declaration_view(self, record: DeclarationViewRecord) -> None:
        # A concurrent insert of the same declaration fails here; the consumer retries
        # the event and then finds the row.
        self.session.add(record)
        await self.session.flush()

    async def declarations_of_patent(self, application_number: str) -> list[DeclarationViewRecord]:
        """The patent's declarations known with their patentees, newest first; locked
        for share, so a negotiated licence waits for a publication in progress."""
        query = (
            select(DeclarationViewRecord)
            .where(
                col(DeclarationViewRecord.application_number) == application_number,
                col(DeclarationViewRecord.patent_number).is_not(None),
            )
            .order_by(col(DeclarationViewRecord.announced_at).desc())
            .with_for_update(read=True)
        )
        return list((await self.session.execute(query)).scalars())

    async def save(
        self,
        record: DeclarationViewRecord
        | PledgeViewRecord
        | LicenseRecord
        | PledgeConsentRecord
        | RoyaltyPeriodRecord
        | LicenseBreachRecord,
    ) -> None:
        self.session.add(record)
        await self.session.flush()

    # -- patent status view --------------------------------------------------------------

    async def patent_status(self, application_number: str) -> str | None:
        query = select(PatentStatusViewRecord.legal_status).where(
            PatentStatusViewRecord.application_number == application_number
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def set_patent_status(self, application_number: str, legal_status: str) -> None:
        now = datetime.now(UTC)
        statement = insert(PatentStatusViewRecord).values(
            application_number=application_number, legal_status=legal_status, updated_at=now
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["application_number"],
                set_={"legal_status": legal_status, "updated_at": now},
            )
        )

    # -- pledge view ---------------------------------------------------------------------

    async def get_pledge_views(
        self, pledge_id: str, application_numbers: list[str]
    ) -> dict[str, PledgeViewRecord]:
        query = (
            select(PledgeViewRecord)
            .where(
                col(PledgeViewRecord.pledge_id) == pledge_id,
                col(PledgeViewRecord.application_number).in_(application_numbers),
            )
            .with_for_update()
        )
        rows = (await self.session.execute(query)).scalars()
        return {r.application_number: r for r in rows}

    async def active_pledges(self, application_number: str) -> list[PledgeViewRecord]:
        query = (
            select(PledgeViewRecord)
            .where(
                col(PledgeViewRecord.application_number) == application_number,
                col(PledgeViewRecord.active).is_(True),
            )
            .order_by(col(PledgeViewRecord.registered_on), col(PledgeViewRecord.pledge_id))
        )
        return list((await self.session.execute(query)).scalars())

    async def consents_on(self, application_number: str) -> list[PledgeConsentRecord]:
        query = (
            select(PledgeConsentRecord)
            .where(col(PledgeConsentRecord.application_number) == application_number)
            .order_by(col(PledgeConsentRecord.created_at))
        )
        return list((await self.session.execute(query)).scalars())

    # -- licences ------------------------------------------------------------------------

    async def add_license(self, record: LicenseRecord) -> bool:
        """Insert; False if the licensee already holds a licence under the declaration."""
        result = await self.session.execute(
            insert(LicenseRecord)
            .values(**record.model_dump())
            .on_conflict_do_nothing(
                index_elements=["declaration_id", "licensee_org_id"], index_where=_HELD
            )
            .returning(col(LicenseRecord.id))
        )
        return result.first() is not None

    async def lock_patent_licensing(self, application_number: str) -> None:
        """Serialise negotiated licences on one patent until the transaction ends, so two
        exclusive licences cannot both pass the check for licences in force."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": "license:" + application_number},
        )

    async def licenses_in_force(self, application_number: str) -> list[LicenseRecord]:
        query = select(LicenseRecord).where(
            col(LicenseRecord.application_number) == application_number,
            col(LicenseRecord.status).in_(["active", "filed"]),
        )
        return list((await self.session.execute(query)).scalars())

    async def held_license(self, declaration_id: str, licensee_org_id: str) -> LicenseRecord | None:
        query = select(LicenseRecord).where(
            col(LicenseRecord.declaration_id) == declaration_id,
            col(LicenseRecord.licensee_org_id) == licensee_org_id,
            _HELD,
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def get_license(
        self, license_id: str, *, for_update: bool = False
    ) -> LicenseRecord | None:
        query = select(LicenseRecord).where(LicenseRecord.id == license_id)
        if for_update:
            # Payments of one licence serialise on this row (one activation only).
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list_licenses(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        visible_to: tuple[str, str | None] | None,
        application_number: str | None,
        declaration_id: str | None,
        status: str | None,
    ) -> list[LicenseRecord]:
        """Newest first. ``visible_to`` (org id, USCC) keeps the licences that organisation
        holds or granted; ``None`` keeps all (the operator)."""
        query = select(LicenseRecord).order_by(
            col(LicenseRecord.created_at).desc(), col(LicenseRecord.id).desc()
        )
        if visible_to is not None:
            org_id, uscc = visible_to
            parties: list[ColumnElement[bool]] = [col(LicenseRecord.licensee_org_id) == org_id]
            if uscc is not None:
                parties.append(col(LicenseRecord.licensor_usccs).contains([uscc]))
                parties.append(col(LicenseRecord.licensee_uscc) == uscc)
            query = query.where(or_(*parties))
        if application_number is not None:
            query = query.where(col(LicenseRecord.application_number) == application_number)
        if declaration_id is not None:
            query = query.where(col(LicenseRecord.declaration_id) == declaration_id)
        if status is not None:
            query = query.where(col(LicenseRecord.status) == status)
        if after is not None:
            created_at, license_id = after
            query = query.where(
                (col(LicenseRecord.created_at) < created_at)
                | (
                    (col(LicenseRecord.created_at) == created_at)
                    & (col(LicenseRecord.id) < license_id)
                )
            )
        return list((await self.session.execute(query.limit(limit))).scalars())

    # -- payments ------------------------------------------------------------------------

    async def add_payment(self, record: LicensePaymentRecord) -> bool:
        """Insert; False if this voucher is already recorded for the licence."""
        result = await self.session.execute(
            insert(LicensePaymentRecord)
            .values(**record.model_dump())
            .on_conflict_do_nothing(index_elements=["license_id", "voucher_reference"])
            .returning(col(LicensePaymentRecord.id))
        )
        return result.first() is not None

    async def payments_of(self, license_id: str) -> list[LicensePaymentRecord]:
        query = (
            select(LicensePaymentRecord)
            .where(col(LicensePaymentRecord.license_id) == license_id)
            .order_by(col(LicensePaymentRecord.created_at), col(LicensePaymentRecord.id))
        )
        return list((await self.session.execute(query)).scalars())

    async def add_payment_record(self, record: LicensePaymentRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    # -- filing deadline watch -------------------------------------------------------------

    async def licenses_needing_filing_alert(
        self, *, notice_until: date, today: date, limit: int
    ) -> list[LicenseRecord]:
        """Active licences owed a reminder (deadline by ``notice_until``, none sent yet) or
        an alarm (deadline passed). Rows another instance is handling are skipped, and
        those taken stay locked until the caller's transaction ends: each alert once."""
        query = (
            select(LicenseRecord)
            .where(
                col(LicenseRecord.status) == "active",
                col(LicenseRecord.filing_alert) != "overdue",
                (
                    (col(LicenseRecord.filing_alert) == "none")
                    & (col(LicenseRecord.filing_deadline) <= notice_until)
                )
                | (col(LicenseRecord.filing_deadline) < today),
            )
            .order_by(col(LicenseRecord.filing_deadline), col(LicenseRecord.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.execute(query)).scalars())

    # -- royalties ---------------------------------------------------------------------------

    async def add_royalty_periods(self, records: list[RoyaltyPeriodRecord]) -> None:
        self.session.add_all(records)
        await self.session.flush()

    async def royalty_periods_of(self, license_id: str) -> list[RoyaltyPeriodRecord]:
        query = (
            select(RoyaltyPeriodRecord)
            .where(col(RoyaltyPeriodRecord.license_id) == license_id)
            .order_by(col(RoyaltyPeriodRecord.period_start))
        )
        return list((await self.session.execute(query)).scalars())

    async def get_royalty_period(
        self, license_id: str, period_id: str
    ) -> RoyaltyPeriodRecord | None:
        query = (
            select(RoyaltyPeriodRecord)
            .where(
                col(RoyaltyPeriodRecord.id) == period_id,
                col(RoyaltyPeriodRecord.license_id) == license_id,
            )
            .with_for_update()
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def royalty_periods_past_due(
        self, *, today: date, limit: int
    ) -> list[tuple[RoyaltyPeriodRecord, LicenseRecord]]:
        """Periods whose due date passed with a breach not yet recorded: no report, or a
        report not fully paid. Locked with their licence and skipped like the filing
        watch."""
        unreported = col(RoyaltyPeriodRecord.reported_at).is_(None) & col(
            RoyaltyPeriodRecord.report_breach_recorded
        ).is_(False)
        unpaid = (
            col(RoyaltyPeriodRecord.reported_at).is_not(None)
            & (col(RoyaltyPeriodRecord.amount_paid) < col(RoyaltyPeriodRecord.amount_due))
            & col(RoyaltyPeriodRecord.payment_breach_recorded).is_(False)
        )
        query = (
            select(RoyaltyPeriodRecord, LicenseRecord)
            .join(LicenseRecord, col(LicenseRecord.id) == col(RoyaltyPeriodRecord.license_id))
            .where(
                col(RoyaltyPeriodRecord.due_date) < today,
                col(LicenseRecord.status).in_(["active", "filed"]),
                unreported | unpaid,
            )
            .order_by(col(RoyaltyPeriodRecord.due_date), col(RoyaltyPeriodRecord.id))
            .limit(limit)
            # The licence row too: reports and payments lock the licence, then the
            # period; a sweep skipping both never waits on them, so they never deadlock.
            .with_for_update(of=[RoyaltyPeriodRecord, LicenseRecord], skip_locked=True)
        )
        rows = (await self.session.execute(query)).all()
        return [(period, licence) for period, licence in rows]

    # -- breaches ----------------------------------------------------------------------------

    async def add_breach(self, record: LicenseBreachRecord) -> bool:
        """Insert; False if this breach of this period is already recorded."""
        result = await self.session.execute(
            insert(LicenseBreachRecord)
            .values(**record.model_dump())
            .on_conflict_do_nothing(constraint="uq_license_breaches_once")
            .returning(col(LicenseBreachRecord.id))
        )
        return result.first() is not None

    async def list_breaches(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        party_uscc: str | None,
        license_id: str | None,
        kind: str | None,
    ) -> list[LicenseBreachRecord]:
        """Newest first."""
        query = select(LicenseBreachRecord).order_by(
            col(LicenseBreachRecord.recorded_at).desc(), col(LicenseBreachRecord.id).desc()
        )
        if party_uscc is not None:
            query = query.where(col(LicenseBreachRecord.party_uscc) == party_uscc)
        if license_id is not None:
            query = query.where(col(LicenseBreachRecord.license_id) == license_id)
        if kind is not None:
            query = query.where(col(LicenseBreachRecord.kind) == kind)
        if after is not None:
            recorded_at, breach_id = after
            query = query.where(
                (col(LicenseBreachRecord.recorded_at) < recorded_at)
                | (
                    (col(LicenseBreachRecord.recorded_at) == recorded_at)
                    & (col(LicenseBreachRecord.id) < breach_id)
                )
            )
        return list((await self.session.execute(query.limit(limit))).scalars())
