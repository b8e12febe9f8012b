"""Periodic workers: ticks on their interval, at once when woken, carry on after a
failure, and stop soon after being told."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from shared.workers import PeriodicWorker

LONG = 3600.0  # an interval no test waits for: every tick below is a wake-up


async def test_a_worker_ticks_at_once_and_then_when_woken() -> None:
    ticked = asyncio.Queue[int]()
    worker = PeriodicWorker("w", LONG, lambda: ticked.put(worker.ticks))
    task = asyncio.create_task(worker.run())
    assert await asyncio.wait_for(ticked.get(), 5) == 0
    worker.wake()
    assert await asyncio.wait_for(ticked.get(), 5) == 1
    worker.stop()
    await asyncio.wait_for(task, 5)


async def test_a_wake_up_during_a_tick_is_not_lost() -> None:
    release = asyncio.Event()
    started = asyncio.Queue[int]()

    async def tick() -> None:
        started.put_nowait(worker.ticks)
        if worker.ticks == 0:
            await release.wait()

    worker = PeriodicWorker("w", LONG, tick)
    task = asyncio.create_task(worker.run())
    assert await asyncio.wait_for(started.get(), 5) == 0
    worker.wake()  # while the first tick is under way
    release.set()
    assert await asyncio.wait_for(started.get(), 5) == 1
    worker.stop()
    await asyncio.wait_for(task, 5)


async def test_a_failed_tick_is_logged_and_the_next_one_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ticked = asyncio.Queue[int]()

    async def tick() -> None:
        ticked.put_nowait(worker.ticks)
        if worker.ticks == 0:
            raise RuntimeError("database away")

    worker = PeriodicWorker("expiry", LONG, tick)
    task = asyncio.create_task(worker.run())
    assert await asyncio.wait_for(ticked.get(), 5) == 0
    worker.wake()
    assert await asyncio.wait_for(ticked.get(), 5) == 1
    worker.stop()
    await asyncio.wait_for(task, 5)
    assert "expiry failed" in caplog.text


async def test_the_interval_ticks_without_a_wake_up() -> None:
    ticked = asyncio.Queue[int]()
    worker = PeriodicWorker("w", 0.01, lambda: ticked.put(worker.ticks))
    task = asyncio.create_task(worker.run())
    for expected in range(3):
        assert await asyncio.wait_for(ticked.get(), 5) == expected
    worker.stop()
    await asyncio.wait_for(task, 5)


async def test_the_lifetime_wraps_every_tick() -> None:
    seen: list[str] = []

    @contextlib.asynccontextmanager
    async def lifetime() -> AsyncIterator[None]:
        seen.append("open")
        yield
        seen.append("closed")

    async def tick() -> None:
        seen.append("tick")
        worker.stop()

    worker = PeriodicWorker("w", LONG, tick, lifetime=lifetime)
    await asyncio.wait_for(worker.run(), 5)
    assert seen == ["open", "tick", "closed"]
