"""Which written events reached every consumer a scenario watches for them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from shared.events import topics
from tests.e2e.conftest import System
from tests.faults.figures import Figures
from tests.faults.invariants import settled_violations
from tests.faults.traffic import (
    DECLARED,
    REGISTERED,
    Written,
    duplicate_webhooks,
    redelivered,
    taken,
    written_events,
)
from tests.webhooks.receiver import Receiver


@dataclass
class Expected:
    """The events written, and the objects behind them that other services must know."""

    events: list[Written] = field(default_factory=list)
    declarations: dict[str, str] = field(default_factory=dict)  # declaration id -> event id
    pledges: dict[str, str] = field(default_factory=dict)  # pledge id -> event id
    receivers: list[Receiver] = field(default_factory=list)


async def undelivered(system: System, expected: Expected) -> dict[str, set[str]]:
    """Per watched consumer, the ids of the written events it has not taken yet."""
    ids = [e.event_id for e in expected.events]
    public = [e.event_id for e in expected.events if e.topic == topics.LISTING]
    hooked = {e.event_id for e in expected.events if e.event_type in (REGISTERED, DECLARED)}
    missing = {
        "listing timeline": set(ids) - await taken(system, "listing timeline", ids),
        "webhooks intake": set(public) - await taken(system, "webhooks intake", public),
    }
    for receiver in expected.receivers:
        missing[f"receiver {receiver.name}"] = hooked - {r.webhook_id for r in receiver.received}
    # Objects stand for the event that made them: a declaration for its publication, a
    # pledge for its registration.
    for consumer, objects in (
        ("license declarations", expected.declarations),
        ("pledge declarations", expected.declarations),
        ("listing encumbrances", expected.pledges),
    ):
        known = await taken(system, consumer, list(objects))
        missing[consumer] = {event for key, event in objects.items() if key not in known}
    return missing


async def wait_delivered(
    system: System, expected: Expected, since: float, timeout: float
) -> tuple[set[str], float | None]:
    """Poll until every event arrived or ``timeout`` passed: (still missing, seconds from
    ``since`` (a ``time.monotonic()``) until nothing was missing, None if never). Prints
    when each consumer had everything, which tells where a long recovery went."""
    deadline = time.monotonic() + timeout
    complete: dict[str, float] = {}
    while True:
        missing = await undelivered(system, expected)
        for consumer, ids in missing.items():
            if not ids and consumer not in complete:
                complete[consumer] = time.monotonic() - since
        left = set().union(*missing.values())
        if not left or time.monotonic() > deadline:
            print("  caught up (s): " + ", ".join(f"{c} {t:.1f}" for c, t in complete.items()))
            return left, (time.monotonic() - since if not left else None)
        await asyncio.sleep(0.5)


def event_of(events: Iterable[Written], event_type: str, about: str) -> str:
    """The id of the one written event of ``event_type`` about ``about`` (its subject or
    its key: a patent's number, or the id of an aggregate of several patents)."""
    found = [
        e.event_id for e in events if e.event_type == event_type and about in (e.subject, e.key)
    ]
    assert len(found) == 1, (event_type, about, found)
    return found[0]


async def declarations_and_pledges(
    system: System,
    scenario: str,
    marks: dict[str, int],
    declared: list[tuple[str, str]],
    pledge_ids: list[str],
    receiver: Receiver,
    since: float,
    timeout: float,
) -> tuple[Figures, set[str]]:
    """The figures of a scenario that wrote declarations (``declared``: number and id)
    and registered pledges after the outbox rows ``marks``, once everything arrived or
    ``timeout`` passed; and the ids of the events still missing somewhere."""
    listing = await written_events(system, "listing", marks["listing"])
    pledges = await written_events(system, "pledge", marks["pledge"])
    expected = Expected(
        events=listing + pledges,
        declarations={d: event_of(listing, DECLARED, n) for n, d in declared},
        pledges={
            p: event_of(pledges, "cn.ipmarket.pledge.pledge.registered.v1", p) for p in pledge_ids
        },
        receivers=[receiver],
    )
    missing, recovery = await wait_delivered(system, expected, since, timeout)
    figures = Figures(
        scenario,
        written=len(expected.events),
        delivered=len(expected.events) - len(missing),
        lost=len(missing),
        duplicates=duplicate_webhooks([receiver]),
        redelivered=redelivered([receiver]),
        violations=await settled_violations(system),
        recovery_s=recovery,
    )
    return figures, missing
