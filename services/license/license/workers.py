"""License's periodic workers (``shared.workers``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from license.breaches.commands import RecordOverdueRoyalties
from license.breaches.service import record_overdue_royalties
from license.config import LicenseSettings
from license.credit.commands import SweepCredit
from license.credit.service import sweep_credit
from license.filing.commands import SendFilingAlerts
from license.filing.service import send_filing_alerts
from shared.db.uow import UnitOfWork
from shared.workers import PeriodicWorker

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime


async def sweep(
    uow_factory: Callable[[], UnitOfWork], settings: LicenseSettings, today: date | None = None
) -> int:
    """One pass over every deadline due ``today`` (the clock's today by default): filing
    reminders and alarms, late royalty reports and payments, credit records whose period
    ended and objections the regulator did not decide in time; batch by batch, each
    committed; returns how many were acted on.

    Several instances may run it at once: each batch takes its rows with FOR UPDATE SKIP
    LOCKED and moves their state forward in the transaction that stages the events, so
    every reminder, alarm and breach is emitted once."""
    total = 0
    limit = settings.deadline_watch_batch_size
    while True:
        async with uow_factory() as uow:
            day = today or uow.clock.today()
            sent = await send_filing_alerts(
                uow, SendFilingAlerts(day, settings.filing_notice_days, limit)
            )
            sent += await record_overdue_royalties(uow, RecordOverdueRoyalties(day, limit))
            sent += await sweep_credit(uow, SweepCredit(day, limit))
            await uow.commit()
        total += sent
        if sent == 0:
            return total


def deadline_watch(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, LicenseSettings)
    return PeriodicWorker(
        "deadline-watch",
        settings.deadline_watch_interval_s,
        lambda: sweep(runtime.uow, settings),
    )
