"""License's periodic workers (``shared.workers``)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING

from license.breaches.commands import RecordOverdueRoyalties
from license.breaches.service import record_overdue_royalties
from license.config import LicenseSettings, working_calendar
from license.credit.commands import SweepCredit
from license.credit.service import sweep_credit
from license.filing.commands import SendFilingAlerts
from license.filing.service import send_filing_alerts
from license.licenses.commands import ExpireLicenses
from license.licenses.endings import expire_licenses
from license.mediation.commands import SendMediationAlerts
from license.mediation.watch import calendar_years_awaited, send_mediation_alerts
from shared.db.uow import UnitOfWork
from shared.workers import PeriodicWorker

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


async def sweep(
    uow_factory: Callable[[], UnitOfWork], settings: LicenseSettings, today: date | None = None
) -> int:
    """One pass over every deadline due ``today`` (the clock's today by default):
    licences whose term ended (expired first, so no filing alert follows their end),
    filing reminders and alarms, late royalty reports and payments, credit records whose
    period ended and objections the regulator did not decide in time; batch by batch, each
    committed; returns how many were acted on.

    Several instances may run it at once: each batch takes its rows with FOR UPDATE SKIP
    LOCKED and moves their state forward in the transaction that stages the events, so
    every reminder, alarm and breach is emitted once."""
    limit = settings.deadline_watch_batch_size
    calendar = working_calendar(settings)

    async def batch(uow: UnitOfWork, day: date) -> int:
        sent = await expire_licenses(uow, ExpireLicenses(day, limit))
        sent += await send_filing_alerts(
            uow, SendFilingAlerts(day, settings.filing_notice_days, limit)
        )
        sent += await record_overdue_royalties(uow, RecordOverdueRoyalties(day, limit))
        return sent + await sweep_credit(uow, SweepCredit(day, limit), calendar)

    return await _in_batches(uow_factory, batch, today)


def deadline_watch(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, LicenseSettings)
    return PeriodicWorker(
        "deadline-watch",
        settings.deadline_watch_interval_s,
        lambda: sweep(runtime.uow, settings),
    )


async def mediation_sweep(
    uow_factory: Callable[[], UnitOfWork], settings: LicenseSettings, today: date | None = None
) -> int:
    """One pass over the mediation deadlines due ``today``: a reminder 3 working days
    before each acceptance and closing deadline, an alarm once it passed; batch by batch,
    each committed, each once even with several instances (SKIP LOCKED, as :func:`sweep`).

    Deadlines that waited for a year the working-day calendar lacked are counted first
    once it covers it (the operator adds the year and restarts); for each year it still
    lacks, one warning per pass tells the operator how many cases wait."""
    limit = settings.deadline_watch_batch_size
    calendar = working_calendar(settings)

    async def batch(uow: UnitOfWork, day: date) -> int:
        return await send_mediation_alerts(uow, SendMediationAlerts(day, limit), calendar)

    acted = await _in_batches(uow_factory, batch, today)
    async with uow_factory() as uow:
        awaited = await calendar_years_awaited(uow, calendar)
    for year, waiting in awaited.items():
        log.warning(
            "%s mediation case(s) wait for the working-day calendar's %s: add that year's "
            "State Council holiday notice to the calendar file",
            waiting,
            year,
            extra={"year": year, "cases": waiting},
        )
    return acted


def mediation_deadline_watch(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, LicenseSettings)
    return PeriodicWorker(
        "mediation-deadline-watch",
        settings.deadline_watch_interval_s,
        lambda: mediation_sweep(runtime.uow, settings),
    )


async def _in_batches(
    uow_factory: Callable[[], UnitOfWork],
    batch: Callable[[UnitOfWork, date], Awaitable[int]],
    today: date | None,
) -> int:
    """Run ``batch`` in a unit of work of its own, committed, until it acts on nothing;
    ``today`` is the clock's today unless given. Returns how many it acted on."""
    total = 0
    while True:
        async with uow_factory() as uow:
            sent = await batch(uow, today or uow.clock.today())
            await uow.commit()
        total += sent
        if sent == 0:
            return total
