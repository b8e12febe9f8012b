"""Scenario 2: each service in turn is killed (SIGKILL, no shutdown hook runs) while
declarations and pledges keep being written, and started again; nothing is lost and
nothing is applied twice."""

from __future__ import annotations

import asyncio
import os
import time

import httpx
import pytest

from devstack.services import SERVICES
from shared.auth import OrgType
from tests.e2e.conftest import System
from tests.faults.delivery import declarations_and_pledges
from tests.faults.figures import report
from tests.faults.traffic import (
    DECLARED,
    REGISTERED,
    connect,
    declare,
    outbox_mark,
    pledge_registered,
    pledgeable,
)
from tests.support.stack import org
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.faults, pytest.mark.timeout(1200)]

# Seconds a killed service stays down before it is started again.
DOWN_S = float(os.environ.get("FAULTS_DOWN_S", "2"))
PLEDGE_POOL = 60


async def test_killing_each_service_in_turn_loses_nothing(system: System) -> None:
    university = org(OrgType.UNIVERSITY, "复旦大学")
    bank = org(OrgType.BANK, "中国建设银行上海分行")
    receiver = Receiver("kill")
    await receiver.start()
    declared: list[tuple[str, str]] = []
    pledge_ids: list[str] = []
    refused = 0
    stop = asyncio.Event()

    async def keep_declaring(http: httpx.AsyncClient) -> None:
        nonlocal refused
        while not stop.is_set():
            try:
                declared.append(await declare(http, system, university))
            except (httpx.HTTPError, AssertionError):
                refused += 1  # the service was down: not written, so not counted
                await asyncio.sleep(0.2)

    async def keep_pledging(http: httpx.AsyncClient, pool: list[str]) -> None:
        nonlocal refused
        while pool and not stop.is_set():
            number = pool.pop()
            try:
                pledge_ids.append(await pledge_registered(http, system, number, university, bank))
            except (httpx.HTTPError, AssertionError):
                refused += 1
                await asyncio.sleep(0.2)

    try:
        async with httpx.AsyncClient(timeout=30) as http:
            await connect(http, system, receiver, [REGISTERED, DECLARED])
            pool = await pledgeable(http, system, university, PLEDGE_POOL)
            marks = {s: await outbox_mark(system, s) for s in ("listing", "pledge")}
            writers = [
                *(asyncio.create_task(keep_declaring(http)) for _ in range(3)),
                asyncio.create_task(keep_pledging(http, pool)),
            ]
            for definition in SERVICES:
                await asyncio.sleep(1)  # writes flow before each kill
                process = system.processes[definition.name]
                process.kill()
                await asyncio.sleep(DOWN_S)
                process.start()
                await asyncio.to_thread(process.wait_ready, 120)
            await asyncio.sleep(1)
            stop.set()
            await asyncio.gather(*writers)
            restarted = time.monotonic()

            figures, missing = await declarations_and_pledges(
                system,
                f"2. SIGKILL of each of {len(SERVICES)} services, down {DOWN_S:g} s",
                marks,
                declared,
                pledge_ids,
                receiver,
                since=restarted,
                timeout=180,
            )
            report(figures)
    finally:
        stop.set()
        await receiver.stop()
    print(f"  writes refused while a service was down: {refused}")
    assert figures.lost == 0, sorted(missing)[:20]
    assert figures.duplicates == 0
    # Not asserted: redelivered webhook-ids. Webhooks killed after a receiver answered and
    # before the attempt was recorded cannot know the delivery arrived; it sends the same
    # webhook-id again, which receivers drop by id (docs/webhooks.md).
    assert figures.violations == []
