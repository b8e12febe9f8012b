"""Running-royalty use cases: the licensee's reports on the reporting periods of a
licence, and reading those periods. (Periods are opened when a licence takes effect and
settled by its payments: ``license.licenses.service``; late ones become breaches:
``license.breaches.service``.) Services never commit; the caller's unit of work does."""

from __future__ import annotations

from license.domain.errors import NotLicensee, NotRunningRoyalty, royalty_period_unknown
from license.domain.royalty import RoyaltyPeriodState
from license.licenses.service import licenses, visible_license
from license.royalties.commands import ReportRoyalty
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.domain import Money
from shared.events.schemas import RoyaltyReported


async def report(
    uow: UnitOfWork, principal: Principal, command: ReportRoyalty
) -> RoyaltyPeriodState:
    """The licensee reports its net sales or profit of an ended period; the amount due
    is fixed (base × rate, rounded half-up to the fen) and published."""
    repo = licenses(uow)
    license_id = command.license_id
    licence = await visible_license(repo, principal, license_id, for_update=True)
    if not licence.is_licensee(principal.org_id, principal.uscc):
        raise NotLicensee(f"only the licensee of licence {license_id} reports its royalties")
    if not licence.terms.has_running_royalty:
        raise NotRunningRoyalty(
            f"licence {license_id} is on {licence.terms.payment_mode.value} terms without a "
            "running royalty; there is nothing to report"
        )
    period = await repo.get_royalty_period(license_id, command.period_id)
    if period is None:
        raise royalty_period_unknown(license_id, command.period_id)
    due = period.report(
        Money(command.base_amount),
        uow.clock.today(),
        reported_at=uow.clock.now(),
        reported_by_org_id=principal.org_id,
    )
    await repo.save_royalty_period(period)
    uow.emit(
        RoyaltyReported(
            license_id=licence.id,
            application_number=licence.application_number,
            period_id=period.id,
            period_start=period.start,
            period_end=period.end,
            due_date=period.due_date,
            royalty_base=period.royalty_base,
            base_amount=command.base_amount,
            royalty_rate=period.rate,
            amount_due=due.amount,
        )
    )
    return period


async def periods_of(
    uow: UnitOfWork, principal: Principal, license_id: str
) -> list[RoyaltyPeriodState]:
    repo = licenses(uow)
    await visible_license(repo, principal, license_id)
    return await repo.royalty_periods_of(license_id)
