"""License's periodic workers (``shared.workers``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from license import filing, royalties
from license.config import LicenseSettings
from shared.db.uow import UnitOfWork
from shared.workers import PeriodicWorker

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime


async def sweep(
    uow_factory: Callable[[], UnitOfWork], settings: LicenseSettings, today: date | None = None
) -> int:
    """One pass over every deadline due ``today`` (the clock's today by default): filing
    reminders and alarms, late royalty reports and payments; batch by batch, each
    committed; returns how many were acted on.

    Several instances may run it at once: each batch takes its rows with FOR UPDATE SKIP
    LOCKED and moves their state forward in the transaction that stages the events, so
    every reminder, alarm and breach is emitted once."""
    total = 0
    limit = settings.deadline_watch_batch_size
    while True:
        async with uow_factory() as uow:
            day = today or uow.clock.today()
            sent = await filing.send_filing_alerts(
                uow, today=day, notice_days=settings.filing_notice_days, limit=limit
            )
            sent += await royalties.record_overdue(uow, today=day, limit=limit)
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
