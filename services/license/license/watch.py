"""The deadline watch: a background task of every instance that sends the filing
reminders and alarms and records late royalty reports and payments.

Several instances may run it at once: each sweep takes its rows with FOR UPDATE SKIP
LOCKED and moves their state forward in the transaction that stages the events, so
every reminder, alarm and breach is emitted once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import date

from license import filing, royalties
from license.config import LicenseSettings
from shared.db.uow import UnitOfWork
from shared.domain import today_in_shanghai

log = logging.getLogger(__name__)


async def sweep(
    uow_factory: Callable[[], UnitOfWork], settings: LicenseSettings, today: date
) -> int:
    """One pass over every deadline due ``today``; batch by batch, each committed."""
    total = 0
    limit = settings.deadline_watch_batch_size
    while True:
        async with uow_factory() as uow:
            sent = await filing.send_filing_alerts(
                uow, today=today, notice_days=settings.filing_notice_days, limit=limit
            )
            sent += await royalties.record_overdue(uow, today=today, limit=limit)
            await uow.commit()
        total += sent
        if sent == 0:
            return total


class DeadlineWatch:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], settings: LicenseSettings) -> None:
        self._uow_factory = uow_factory
        self._settings = settings
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await sweep(self._uow_factory, self._settings, today_in_shanghai())
            except Exception:  # a failed sweep is retried at the next interval
                log.exception("deadline watch sweep failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._stopping.wait(), self._settings.deadline_watch_interval_s
                )
