"""Licences and what hangs on them (payments, royalty periods, breaches), loaded and saved
as domain objects through ``license.mapping``. The views fed by other services' events
have their own repositories (``declarations``, ``pledges``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from license import mapping
from license.domain.breach import Breach
from license.domain.filing_deadline import FilingAlert
from license.domain.license import (
    ENDED_STATES,
    IN_FORCE_STATES,
    LicenseStatus,
    PatentLicense,
)
from license.domain.payment import LicensePayment
from license.domain.royalty import BreachKind, RoyaltyPeriodState
from license.models import (
    LicenseBreachRecord,
    LicensePaymentRecord,
    LicenseRecord,
    RoyaltyPeriodRecord,
)
from shared.clock import Clock
from shared.db.rows import loaded_row

# The predicate of the partial unique index uq_licenses_held_per_declaration.
_HELD = text("status IN ('awaiting_payment', 'active', 'filed')")


class LicenseRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        # Stamps the rows' times (recorded, took effect, updated).
        self.clock = clock

    # -- licences ------------------------------------------------------------------------

    async def add_license(self, licence: PatentLicense) -> bool:
        """Insert; False if the licensee already holds a licence under the declaration."""
        now = self._stamp(licence)
        record = mapping.license_record(licence, now)
        result = await self.session.execute(
            insert(LicenseRecord)
            .values(**record.model_dump())
            .on_conflict_do_nothing(
                index_elements=["declaration_id", "licensee_org_id"], index_where=_HELD
            )
            .returning(col(LicenseRecord.id))
        )
        return result.first() is not None

    async def save_license(self, licence: PatentLicense) -> None:
        """Save a licence loaded with :meth:`get_license` (or a new one, negotiated)."""
        now = self._stamp(licence)
        record = await loaded_row(self.session, LicenseRecord, licence.id)
        if record is None:
            self.session.add(mapping.license_record(licence, now))
        else:
            mapping.apply_license(record, licence, now)
        await self.session.flush()

    def _stamp(self, licence: PatentLicense) -> datetime:
        now = self.clock.now()
        if licence.created_at is None:
            licence.created_at = now
        if licence.status is LicenseStatus.ACTIVE and licence.activated_at is None:
            licence.activated_at = now
        return now

    async def lock_patent_licensing(self, application_number: str, *, shared: bool = False) -> None:
        """Serialise negotiated licences on one patent until the transaction ends, so two
        exclusive licences cannot both pass the check for licences in force. ``shared``:
        open-licence acceptances, which exclude a negotiated licence but not each other."""
        statement = (
            "SELECT pg_advisory_xact_lock_shared(hashtextextended(:key, 0))"
            if shared
            else "SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"
        )
        await self.session.execute(text(statement), {"key": "license:" + application_number})

    async def licenses_in_force(self, application_number: str) -> list[PatentLicense]:
        """Active and filed licences: an ended one (expired, terminated, rescinded) no
        longer excludes anything."""
        query = select(LicenseRecord).where(
            col(LicenseRecord.application_number) == application_number,
            col(LicenseRecord.status).in_([s.value for s in IN_FORCE_STATES]),
        )
        return await self._licenses(query)

    async def licenses_to_expire(self, *, today: date, limit: int) -> list[PatentLicense]:
        """Licences in force whose term ended before ``today``, locked; rows another
        instance is expiring are skipped, so each licence expires (and is announced) once."""
        query = (
            select(LicenseRecord)
            .where(
                col(LicenseRecord.status).in_([s.value for s in IN_FORCE_STATES]),
                col(LicenseRecord.term_end) < today,
            )
            .order_by(col(LicenseRecord.term_end), col(LicenseRecord.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._licenses(query)

    async def has_breach(self, license_id: str, breach_id: str) -> bool:
        """Whether the breach register holds ``breach_id`` against this licence."""
        query = select(col(LicenseBreachRecord.id)).where(
            col(LicenseBreachRecord.id) == breach_id,
            col(LicenseBreachRecord.license_id) == license_id,
        )
        return (await self.session.execute(query)).first() is not None

    async def held_license(self, declaration_id: str, licensee_org_id: str) -> PatentLicense | None:
        query = select(LicenseRecord).where(
            col(LicenseRecord.declaration_id) == declaration_id,
            col(LicenseRecord.licensee_org_id) == licensee_org_id,
            _HELD,
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return mapping.license_from_record(record) if record else None

    async def get_license(
        self, license_id: str, *, for_update: bool = False
    ) -> PatentLicense | None:
        query = select(LicenseRecord).where(LicenseRecord.id == license_id)
        if for_update:
            # Payments of one licence serialise on this row (one activation only).
            query = query.with_for_update()
        record = (await self.session.execute(query)).scalar_one_or_none()
        return mapping.license_from_record(record) if record else None

    async def _licenses(self, query: SelectOfScalar[LicenseRecord]) -> list[PatentLicense]:
        records = (await self.session.execute(query)).scalars()
        return [mapping.license_from_record(r) for r in records]

    async def list_licenses(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        visible_to: tuple[str, str | None] | None,
        application_number: str | None,
        declaration_id: str | None,
        status: LicenseStatus | None,
    ) -> list[PatentLicense]:
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
            query = query.where(col(LicenseRecord.status) == status.value)
        if after is not None:
            created_at, license_id = after
            query = query.where(
                (col(LicenseRecord.created_at) < created_at)
                | (
                    (col(LicenseRecord.created_at) == created_at)
                    & (col(LicenseRecord.id) < license_id)
                )
            )
        return await self._licenses(query.limit(limit))

    # -- payments ------------------------------------------------------------------------

    async def add_payment(self, recorded: LicensePayment) -> bool:
        """Insert; False if this voucher is already recorded for the licence."""
        result = await self.session.execute(
            insert(LicensePaymentRecord)
            .values(**mapping.payment_record(recorded).model_dump())
            .on_conflict_do_nothing(index_elements=["license_id", "voucher_reference"])
            .returning(col(LicensePaymentRecord.id))
        )
        return result.first() is not None

    async def payments_of(self, license_id: str) -> list[LicensePayment]:
        query = (
            select(LicensePaymentRecord)
            .where(col(LicensePaymentRecord.license_id) == license_id)
            .order_by(col(LicensePaymentRecord.created_at), col(LicensePaymentRecord.id))
        )
        return [mapping.payment(r) for r in (await self.session.execute(query)).scalars()]

    # -- filing deadline watch -------------------------------------------------------------

    async def licenses_needing_filing_alert(
        self, *, notice_until: date, today: date, limit: int
    ) -> list[PatentLicense]:
        """Active licences owed a reminder (deadline by ``notice_until``, none sent yet) or
        an alarm (deadline passed). Rows another instance is handling are skipped, and
        those taken stay locked until the caller's transaction ends: each alert once."""
        query = (
            select(LicenseRecord)
            .where(
                col(LicenseRecord.status) == LicenseStatus.ACTIVE.value,
                col(LicenseRecord.filing_alert) != FilingAlert.OVERDUE.value,
                (
                    (col(LicenseRecord.filing_alert) == FilingAlert.NONE.value)
                    & (col(LicenseRecord.filing_deadline) <= notice_until)
                )
                | (col(LicenseRecord.filing_deadline) < today),
            )
            .order_by(col(LicenseRecord.filing_deadline), col(LicenseRecord.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return await self._licenses(query)

    # -- royalties ---------------------------------------------------------------------------

    async def add_royalty_periods(self, periods: list[RoyaltyPeriodState]) -> None:
        self.session.add_all([mapping.royalty_period_record(p) for p in periods])
        await self.session.flush()

    async def royalty_periods_of(self, license_id: str) -> list[RoyaltyPeriodState]:
        query = (
            select(RoyaltyPeriodRecord)
            .where(col(RoyaltyPeriodRecord.license_id) == license_id)
            .order_by(col(RoyaltyPeriodRecord.period_start))
        )
        return [mapping.royalty_period(r) for r in (await self.session.execute(query)).scalars()]

    async def get_royalty_period(
        self, license_id: str, period_id: str
    ) -> RoyaltyPeriodState | None:
        query = (
            select(RoyaltyPeriodRecord)
            .where(
                col(RoyaltyPeriodRecord.id) == period_id,
                col(RoyaltyPeriodRecord.license_id) == license_id,
            )
            .with_for_update()
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return mapping.royalty_period(record) if record else None

    async def cancel_royalty_periods(self, license_id: str, ended_on: date) -> int:
        """Cancel the unreported periods of an ended licence that start on or after
        ``ended_on``; the ones that ran during its term stay due. Returns how many."""
        result = await self.session.execute(
            update(RoyaltyPeriodRecord)
            .where(
                col(RoyaltyPeriodRecord.license_id) == license_id,
                col(RoyaltyPeriodRecord.period_start) >= ended_on,
                col(RoyaltyPeriodRecord.amount_due).is_(None),
                col(RoyaltyPeriodRecord.cancelled_on).is_(None),
            )
            .values(cancelled_on=ended_on)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def unreported_royalty_periods_from(
        self, license_id: str, start: date
    ) -> list[RoyaltyPeriodState]:
        """The licence's periods starting on or after ``start``, not yet reported nor
        cancelled, locked: what a new royalty rate from ``start`` applies to."""
        query = (
            select(RoyaltyPeriodRecord)
            .where(
                col(RoyaltyPeriodRecord.license_id) == license_id,
                col(RoyaltyPeriodRecord.period_start) >= start,
                col(RoyaltyPeriodRecord.reported_at).is_(None),
                # An ended licence's periods after its end are cancelled: nothing is due.
                col(RoyaltyPeriodRecord.cancelled_on).is_(None),
            )
            .order_by(col(RoyaltyPeriodRecord.period_start))
            .with_for_update()
        )
        return [mapping.royalty_period(r) for r in (await self.session.execute(query)).scalars()]

    async def save_royalty_period(self, period: RoyaltyPeriodState) -> None:
        """Save a period loaded (and locked) by this repository."""
        record = await loaded_row(self.session, RoyaltyPeriodRecord, period.id)
        assert record is not None  # loaded in this unit of work
        mapping.apply_royalty_period(record, period)
        await self.session.flush()

    async def royalty_periods_past_due(
        self, *, today: date, limit: int
    ) -> list[tuple[RoyaltyPeriodState, PatentLicense]]:
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
                # An ended licence's periods of its term are still owed; those after it
                # ended are cancelled.
                col(LicenseRecord.status).in_([s.value for s in IN_FORCE_STATES | ENDED_STATES]),
                col(RoyaltyPeriodRecord.cancelled_on).is_(None),
                unreported | unpaid,
            )
            .order_by(col(RoyaltyPeriodRecord.due_date), col(RoyaltyPeriodRecord.id))
            .limit(limit)
            # The licence row too: reports and payments lock the licence, then the
            # period; a sweep skipping both never waits on them, so they never deadlock.
            .with_for_update(of=[RoyaltyPeriodRecord, LicenseRecord], skip_locked=True)
        )
        rows = (await self.session.execute(query)).all()
        return [(mapping.royalty_period(p), mapping.license_from_record(r)) for p, r in rows]

    # -- breaches ----------------------------------------------------------------------------

    async def add_breach(self, breach: Breach) -> bool:
        """Insert; False if this breach of this period is already recorded."""
        result = await self.session.execute(
            insert(LicenseBreachRecord)
            .values(**mapping.breach_record(breach).model_dump())
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
        kind: BreachKind | None,
    ) -> list[Breach]:
        """Newest first."""
        query = select(LicenseBreachRecord).order_by(
            col(LicenseBreachRecord.recorded_at).desc(), col(LicenseBreachRecord.id).desc()
        )
        if party_uscc is not None:
            query = query.where(col(LicenseBreachRecord.party_uscc) == party_uscc)
        if license_id is not None:
            query = query.where(col(LicenseBreachRecord.license_id) == license_id)
        if kind is not None:
            query = query.where(col(LicenseBreachRecord.kind) == kind.value)
        if after is not None:
            recorded_at, breach_id = after
            query = query.where(
                (col(LicenseBreachRecord.recorded_at) < recorded_at)
                | (
                    (col(LicenseBreachRecord.recorded_at) == recorded_at)
                    & (col(LicenseBreachRecord.id) < breach_id)
                )
            )
        records = (await self.session.execute(query.limit(limit))).scalars()
        return [mapping.breach(r) for r in records]
