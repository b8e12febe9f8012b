"""Periodic workers: the one kind of background loop a service runs besides its outbox
relay and its consumers (sweeps, watches, dispatchers).

A :class:`PeriodicWorker` calls its ``tick`` every ``interval_s`` seconds, and at once
when something :meth:`~PeriodicWorker.wake`\\ s it: an endpoint that changed what the
worker serves, or a consumer whose unit of work committed (``ConsumerSpec.wakes``). A
failed tick is logged and retried at the next interval; a wake-up that arrives during a
tick makes the next tick start right after it, so no wake-up is lost.

A service declares its workers in ``workers.py`` as functions ``(runtime) ->
PeriodicWorker`` and lists them in ``main.py`` (``ServiceRuntime(workers=[...])``); the
runtime starts them after the consumers and stops them first. Every tick does its work
through units of work (``runtime.uow()``), like any use case.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def _nothing() -> AsyncIterator[None]:
    yield


class PeriodicWorker:
    """Runs ``tick`` every ``interval_s`` seconds and whenever woken, until stopped.

    ``lifetime``: an async context entered before the first tick and left after the
    last (a worker's HTTP client, or waiting for requests it still has in flight).
    """

    def __init__(
        self,
        name: str,
        interval_s: float,
        tick: Callable[[], Awaitable[object]],
        *,
        lifetime: Callable[[], AbstractAsyncContextManager[object]] | None = None,
    ) -> None:
        self.name = name
        self.interval_s = interval_s
        self._tick = tick
        self._lifetime = lifetime or _nothing
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.ticks = 0

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def wake(self) -> None:
        """Tick now (or right after the tick under way) instead of at the next interval."""
        self._wake.set()

    def stop(self) -> None:
        """End :meth:`run` after the tick under way."""
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        async with self._lifetime():
            while not self._stopping.is_set():
                self._wake.clear()
                try:
                    await self._tick()
                except Exception:
                    log.exception(f"{self.name} failed; retrying at the next interval")
                self.ticks += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.interval_s)
