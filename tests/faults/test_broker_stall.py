"""Scenario 1: the broker stops answering (SIGSTOP) while declarations and pledges are
written through the APIs, concurrently; it resumes, and everything is delivered
everywhere, once."""

from __future__ import annotations

import asyncio
import os
import time

import httpx
import pytest

from shared.auth import OrgType
from tests.e2e.conftest import System
from tests.faults.delivery import Expected, event_of, wait_delivered
from tests.faults.figures import Figures, report
from tests.faults.invariants import settled_violations
from tests.faults.traffic import (
    DECLARED,
    REGISTERED,
    apply_pledge,
    bounded,
    connect,
    declare,
    duplicate_webhooks,
    new_patent,
    outbox_mark,
    pledge_knows,
    redelivered,
    register_pledge,
    written_events,
)
from tests.support.stack import eventually, org
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.faults, pytest.mark.timeout(1200)]

STALL_S = float(os.environ.get("FAULTS_STALL_S", "30"))
WRITES = int(os.environ.get("FAULTS_WRITES", "1000"))
CONCURRENCY = 8


async def test_a_stalled_broker_loses_nothing(system: System) -> None:
    university = org(OrgType.UNIVERSITY, "浙江大学")
    bank = org(OrgType.BANK, "中国工商银行杭州分行")
    receiver = Receiver("stall")
    await receiver.start()
    try:
        async with httpx.AsyncClient(timeout=120) as http:
            await connect(http, system, receiver, [REGISTERED, DECLARED])
            pledged = WRITES // 4
            numbers = await bounded(
                CONCURRENCY, [lambda: new_patent(http, system, university)] * pledged
            )
            await eventually(lambda: pledge_knows(system, set(numbers)), timeout=180, interval=1)
            marks = {s: await outbox_mark(system, s) for s in ("listing", "pledge")}

            async def pledge(number: str) -> str:
                applied = await apply_pledge(http, system, number, university, bank)
                assert applied.status_code == 201, applied.text
                registered = await register_pledge(http, system, applied.json()["id"], bank)
                assert registered.status_code == 200, registered.text
                return str(applied.json()["id"])

            system.broker.pause()
            stalled = time.monotonic()
            writing = asyncio.gather(
                bounded(
                    CONCURRENCY, [lambda: declare(http, system, university)] * (WRITES - pledged)
                ),
                bounded(CONCURRENCY, [lambda n=n: pledge(n) for n in numbers]),
            )
            done, _ = await asyncio.wait({writing}, timeout=STALL_S)
            written_in_stall = bool(done)
            system.broker.resume()
            resumed = time.monotonic()
            declared, pledge_ids = await writing

            listing = await written_events(system, "listing", marks["listing"])
            pledges = await written_events(system, "pledge", marks["pledge"])
            expected = Expected(
                events=listing + pledges,
                declarations={d: event_of(listing, DECLARED, n) for n, d in declared},
                pledges={
                    p: event_of(pledges, "cn.ipmarket.pledge.pledge.registered.v1", p)
                    for p in pledge_ids
                },
                receivers=[receiver],
            )
            missing, recovery = await wait_delivered(
                system, expected, resumed, timeout=STALL_S + 180
            )
            figures = Figures(
                f"1. broker stalled {STALL_S:g} s, {WRITES} writes",
                written=len(expected.events),
                delivered=len(expected.events) - len(missing),
                lost=len(missing),
                duplicates=duplicate_webhooks([receiver]),
                redelivered=redelivered([receiver]),
                violations=await settled_violations(system),
                recovery_s=recovery,
            )
            report(figures)
    finally:
        await receiver.stop()
    print(f"  stalled {resumed - stalled:.1f} s; all writes answered inside it: {written_in_stall}")
    assert figures.lost == 0, sorted(missing)[:20]
    assert figures.duplicates == 0
    assert figures.redelivered == 0  # nothing was killed: each webhook-id arrives once
    assert figures.violations == []
