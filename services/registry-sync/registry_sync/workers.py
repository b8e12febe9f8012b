"""Registry-sync's periodic workers (``shared.workers``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from registry_sync.config import RegistrySyncSettings
from registry_sync.reconciliation import service as reconciliation
from shared.db.uow import UnitOfWork
from shared.workers import PeriodicWorker

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

RECONCILIATION = "reconciliation"


async def reconcile(uow_factory: Callable[[], UnitOfWork]) -> int:
    """Add today's scheduled run if the day has none yet, then carry out every pending
    run, one per unit of work; returns how many ran.

    Every instance runs this worker: the day's run is one row (a unique index on the
    scheduled day), and each pending run is taken FOR UPDATE SKIP LOCKED, so each run is
    carried out once."""
    async with uow_factory() as uow:
        if await reconciliation.schedule_daily_run(uow):
            await uow.commit()
    ran = 0
    while True:
        async with uow_factory() as uow:
            if await reconciliation.run_next(uow) is None:
                return ran
            await uow.commit()
        ran += 1


def reconciliation_worker(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, RegistrySyncSettings)
    return PeriodicWorker(
        RECONCILIATION, settings.reconciliation_interval_s, lambda: reconcile(runtime.uow)
    )
