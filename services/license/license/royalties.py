"""Running-royalty use cases: the reporting periods of a licence, the licensee's
reports, payments matched to them, and the breaches recorded when a report or a
payment is late. Services never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from license import mapping
from license.access import visible_license
from license.api import schemas
from license.domain.errors import (
    NotLicensee,
    NotRunningRoyalty,
    OperatorOnly,
    RoyaltyPeriodUnknown,
)
from license.domain.license import PatentLicense
from license.domain.royalty import BreachKind, RoyaltyPeriodState
from license.models import LicenseBreachRecord, RoyaltyPeriodRecord
from license.repository import LicenseRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import Money, today_in_shanghai
from shared.events.schemas import LicenseBreachRecorded, OrgRef, RoyaltyReported


def has_running_royalty(licence: PatentLicense) -> bool:
    return licence.terms.royalty_rate is not None and licence.terms.royalty_base is not None


async def open_periods(repo: LicenseRepository, licence: PatentLicense) -> None:
    """Create the reporting periods of a licence that just took effect, if it pays a
    running royalty: from the royalty schedule of the terms it accepted, declared or
    (older terms) inferred from their text; see domain.royalty."""
    if not has_running_royalty(licence):
        return
    assert licence.effective_date is not None
    assert licence.term_end is not None
    assert licence.terms.royalty_rate is not None
    assert licence.terms.royalty_base is not None
    schedule = licence.terms.reporting_schedule()
    await repo.add_royalty_periods(
        [
            RoyaltyPeriodRecord(
                id=str(uuid.uuid4()),
                license_id=licence.id,
                period_start=p.start,
                period_end=p.end,
                due_date=p.due_date,
                royalty_base=licence.terms.royalty_base,
                royalty_rate=licence.terms.royalty_rate,
                schedule_source=schedule.source.value,
            )
            for p in schedule.periods(licence.effective_date, licence.term_end)
        ]
    )


async def settle(
    repo: LicenseRepository, licence: PatentLicense, period_id: str, amount: Money
) -> None:
    """Match a payment to a reported period (the payment's caller checked who pays)."""
    record = await repo.get_royalty_period(licence.id, period_id)
    if record is None:
        raise _unknown_period(licence.id, period_id)
    period = _period(record)
    period.settle(amount)
    record.amount_paid = period.amount_paid.amount
    await repo.save(record)


async def report(
    uow: UnitOfWork,
    principal: Principal,
    license_id: str,
    period_id: str,
    body: schemas.RoyaltyReportCreate,
) -> RoyaltyPeriodRecord:
    """The licensee reports its net sales or profit of an ended period; the amount due
    is fixed (base × rate, rounded half-up to the fen) and published."""
    repo = LicenseRepository(uow.session)
    _, licence = await visible_license(repo, principal, license_id, for_update=True)
    if not licence.is_licensee(principal.org_id, principal.uscc):
        raise NotLicensee(f"only the licensee of licence {license_id} reports its royalties")
    if not has_running_royalty(licence):
        raise NotRunningRoyalty(
            f"licence {license_id} is on {licence.terms.payment_mode.value} terms without a "
            "running royalty; there is nothing to report"
        )
    record = await repo.get_royalty_period(license_id, period_id)
    if record is None:
        raise _unknown_period(license_id, period_id)
    period = _period(record)
    due = period.report(body.base_amount.to_money(), today_in_shanghai())
    record.base_amount = body.base_amount.amount
    record.amount_due = due.amount
    record.reported_at = datetime.now(UTC)
    record.reported_by_org_id = principal.org_id
    await repo.save(record)
    uow.emit(
        RoyaltyReported(
            license_id=licence.id,
            application_number=licence.application_number,
            period_id=record.id,
            period_start=record.period_start,
            period_end=record.period_end,
            due_date=record.due_date,
            royalty_base=record.royalty_base,
            base_amount=body.base_amount.amount,
            royalty_rate=record.royalty_rate,
            amount_due=due.amount,
        )
    )
    return record


async def periods_of(
    uow: UnitOfWork, principal: Principal, license_id: str
) -> list[RoyaltyPeriodRecord]:
    repo = LicenseRepository(uow.session)
    await visible_license(repo, principal, license_id)
    return await repo.royalty_periods_of(license_id)


async def record_overdue(uow: UnitOfWork, *, today: date, limit: int) -> int:
    """Record a breach against the licensee for each period whose report or payment is
    late; each once, even with several instances watching (rows locked, others skipped,
    the flag set in the same transaction). Returns how many were recorded."""
    repo = LicenseRepository(uow.session)
    recorded = 0
    for record, licence_record in await repo.royalty_periods_past_due(today=today, limit=limit):
        period = _period(record)
        kind = period.breach_due(today)
        if kind is None:
            continue
        licence = mapping.license_from_record(licence_record)
        outstanding = period.outstanding if kind is BreachKind.ROYALTY_PAYMENT_OVERDUE else None
        breach = LicenseBreachRecord(
            id=str(uuid.uuid4()),
            license_id=licence.id,
            application_number=licence.application_number,
            kind=kind.value,
            party_org_id=licence.licensee.org_id,
            party_name=licence.licensee.name,
            party_uscc=licence.licensee.uscc,
            period_id=record.id,
            due_date=record.due_date,
            amount_outstanding=outstanding.amount if outstanding else None,
        )
        if kind is BreachKind.ROYALTY_REPORT_OVERDUE:
            record.report_breach_recorded = True
        else:
            record.payment_breach_recorded = True
        await repo.save(record)
        if await repo.add_breach(breach):
            recorded += 1
            uow.emit(
                LicenseBreachRecorded(
                    breach_id=breach.id,
                    license_id=licence.id,
                    application_number=licence.application_number,
                    kind=kind.value,
                    party=OrgRef(
                        org_id=licence.licensee.org_id,
                        name=licence.licensee.name,
                        uscc=licence.licensee.uscc,
                    ),
                    period_id=record.id,
                    period_start=record.period_start,
                    period_end=record.period_end,
                    due_date=record.due_date,
                    amount_outstanding=breach.amount_outstanding,
                )
            )
    return recorded


async def list_breaches(
    uow: UnitOfWork,
    principal: Principal,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    party_uscc: str | None,
    license_id: str | None,
    kind: BreachKind | None,
) -> list[LicenseBreachRecord]:
    if principal.org_type is not OrgType.OPERATOR:
        raise OperatorOnly("the breach register is kept for the platform operator")
    return await LicenseRepository(uow.session).list_breaches(
        limit=limit,
        after=after,
        party_uscc=party_uscc,
        license_id=license_id,
        kind=kind.value if kind else None,
    )


def _period(record: RoyaltyPeriodRecord) -> RoyaltyPeriodState:
    return RoyaltyPeriodState(
        id=record.id,
        start=record.period_start,
        end=record.period_end,
        due_date=record.due_date,
        rate=Decimal(record.royalty_rate),
        base_amount=Money(record.base_amount) if record.base_amount is not None else None,
        amount_due=Money(record.amount_due) if record.amount_due is not None else None,
        amount_paid=Money(record.amount_paid),
        report_breach_recorded=record.report_breach_recorded,
        payment_breach_recorded=record.payment_breach_recorded,
    )


def _unknown_period(license_id: str, period_id: str) -> RoyaltyPeriodUnknown:
    return RoyaltyPeriodUnknown(
        f"licence {license_id} has no royalty period {period_id}; list them with "
        f"GET /v1/licenses/{license_id}/royalties",
        period_id=period_id,
    )
