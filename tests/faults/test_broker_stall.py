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
from tests.faults.delivery import declarations_and_pledges
from tests.faults.figures import report
from tests.faults.traffic import (
    DECLARED,
    REGISTERED,
    bounded,
    connect,
    declare,
    outbox_mark,
    pledge_registered,
    pledgeable,
)
from tests.support.stack import org
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
            numbers = await pledgeable(http, system, university, pledged + 1)
            # The bank's first pledge creates the bank's own topic there and then, which a
            # stalled broker refuses (503, retry later): a bank is onboarded before the
            # stall, as a real one is long before an outage.
            await pledge_registered(http, system, numbers.pop(), university, bank)
            marks = {s: await outbox_mark(system, s) for s in ("listing", "pledge")}

            system.broker.pause()
            stalled = time.monotonic()
            writing = asyncio.gather(
                bounded(
                    CONCURRENCY, [lambda: declare(http, system, university)] * (WRITES - pledged)
                ),
                bounded(
                    CONCURRENCY,
                    [
                        lambda n=n: pledge_registered(http, system, n, university, bank)
                        for n in numbers
                    ],
                ),
            )
            done, _ = await asyncio.wait({writing}, timeout=STALL_S)
            written_in_stall = bool(done)
            await asyncio.sleep(max(0.0, STALL_S - (time.monotonic() - stalled)))
            system.broker.resume()
            resumed = time.monotonic()
            declared, pledge_ids = await writing

            figures, missing = await declarations_and_pledges(
                system,
                f"1. broker stalled {STALL_S:g} s, {WRITES} writes",
                marks,
                declared,
                pledge_ids,
                receiver,
                since=resumed,
                timeout=STALL_S + 180,
            )
            report(figures)
    finally:
        await receiver.stop()
    print(f"  stalled {resumed - stalled:.1f} s; all writes answered inside it: {written_in_stall}")
    assert figures.lost == 0, sorted(missing)[:20]
    assert figures.duplicates == 0
    assert figures.redelivered == 0  # nothing was killed: each webhook-id arrives once
    assert figures.violations == []
