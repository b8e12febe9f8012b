"""Listing's background sweep: declarations whose term is over are ended.

Runs in every instance; each batch locks its rows with SKIP LOCKED, so instances share
the work and no declaration is ended (or announced as expired) twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from listing import service
from listing.config import ListingSettings
from shared.domain.calendar import today_in_shanghai

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


class ExpirySweep:
    BATCH = 200

    def __init__(self, runtime: ServiceRuntime) -> None:
        settings = runtime.settings
        assert isinstance(settings, ListingSettings)
        self.runtime = runtime
        self.interval = settings.expiry_sweep_interval_s
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.sweep()
            except Exception:
                log.exception("declaration expiry sweep failed; retrying at the next interval")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)

    async def sweep(self) -> int:
        """End every declaration past its term (Asia/Shanghai dates); returns how many."""
        total = 0
        while True:
            async with self.runtime.uow() as uow:
                found = await service.expire_declarations(uow, today_in_shanghai(), self.BATCH)
                await uow.commit()
            total += found
            if found < self.BATCH:
                return total
