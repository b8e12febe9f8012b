"""Scenario 5: poisoned records on every topic the project consumes, on every partition:
unreadable bytes, a known type with a missing field, and an unknown version of a known
type. Each must land in the dead-letter topic of every consumer group it reaches, and
every consumer keeps running: events written after the poison are still applied."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

import license.consumers
import listing.consumers
import matching.consumers
import pledge.consumers
import registry_sync.consumers
import webhooks.consumers
from shared.auth import OrgType
from shared.events.envelope import SPEC_VERSION
from shared.events.topics import dead_letter_topic
from shared.messaging.routing import EventRouter
from tests.e2e.conftest import System
from tests.faults.figures import Figures, report
from tests.faults.invariants import settled_violations
from tests.faults.traffic import (
    SETTINGS,
    declare,
    outbox_mark,
    pledge_registered,
    pledgeable,
    query,
    written_events,
)
from tests.support.stack import eventually, org

pytestmark = [pytest.mark.faults, pytest.mark.timeout(900)]

# Every consumer group of the project: (service, group id, its router).
GROUPS: tuple[tuple[str, str, EventRouter], ...] = (
    ("listing", listing.consumers.GROUP_ID, listing.consumers.router),
    ("listing", listing.consumers.TIMELINE_GROUP_ID, listing.consumers.timeline_router),
    ("license", license.consumers.GROUP_ID, license.consumers.router),
    ("pledge", pledge.consumers.GROUP_ID, pledge.consumers.router),
    ("matching", matching.consumers.GROUP_ID, matching.consumers.router),
    ("webhooks", webhooks.consumers.GROUP_ID, webhooks.consumers.router),
    ("registry-sync", registry_sync.consumers.GROUP_ID, registry_sync.consumers.router),
    (
        "registry-sync",
        registry_sync.consumers.RECORDALS_GROUP_ID,
        registry_sync.consumers.recordals_router,
    ),
    (
        "registry-sync",
        registry_sync.consumers.FILINGS_GROUP_ID,
        registry_sync.consumers.filings_router,
    ),
)


def _headers(event_id: str, event_type: str, subject: str) -> list[tuple[str, bytes]]:
    return [
        ("ce_specversion", SPEC_VERSION.encode()),
        ("ce_id", event_id.encode()),
        ("ce_source", b"/faults"),
        ("ce_type", event_type.encode()),
        ("ce_time", datetime.now(UTC).isoformat().encode()),
        ("content-type", b"application/json"),
        ("ce_subject", subject.encode()),
    ]


def _typed(router: EventRouter, topic: str) -> dict[str, bool]:
    """The types ``router`` validates on ``topic``: whether their data has required fields."""
    return {
        event_type: any(f.is_required() for f in model.model_fields.values())
        for event_type, (model, _) in router._routes.items()
        if model.topic == topic
    }


def _later_version(event_type: str) -> str:
    stem, _, version = event_type.rpartition(".v")
    return f"{stem}.v{int(version) + 98}"


async def _dead_letters(bootstrap: str, groups: list[str]) -> dict[str, set[str]]:
    """The ce_ids in each group's dead-letter topic (read from its beginning)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
    finally:
        await admin.close()
    found: dict[str, set[str]] = {group: set() for group in groups}
    wanted = {dead_letter_topic(g): g for g in groups if dead_letter_topic(g) in existing}
    if not wanted:
        return found
    consumer = AIOKafkaConsumer(
        *wanted,
        bootstrap_servers=bootstrap,
        group_id=f"faults-reader-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=10,
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
    )
    await consumer.start()
    try:
        quiet = 0
        while quiet < 3:
            batches = await consumer.getmany(timeout_ms=1000)
            quiet = 0 if any(batches.values()) else quiet + 1
            for tp, records in batches.items():
                for record in records:
                    ce_id = dict(record.headers).get("ce_id", b"").decode(errors="replace")
                    found[wanted[tp.topic]].add(ce_id)
    finally:
        await asyncio.wait_for(consumer.stop(), 10)
    return found


async def test_poisoned_records_are_parked_and_consumers_keep_going(system: System) -> None:
    bootstrap = system.broker.bootstrap_servers
    consumed = sorted({t for _, _, router in GROUPS for t in router.topics})
    # poison id -> the groups whose dead-letter topic must hold it
    expected: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for topic in consumed:
            readers = [group for _, group, router in GROUPS if topic in router.topics]
            typed = {group: _typed(router, topic) for _, group, router in GROUPS}
            counts = Counter(
                t for group in readers for t, required in typed[group].items() if required
            )
            known = counts.most_common(1)[0][0] if counts else None
            partitions = sorted(await producer.partitions_for(topic))
            for partition in partitions:
                key = f"poison-{partition}".encode()
                unreadable = str(uuid.uuid4())
                await producer.send_and_wait(
                    topic,
                    value=b"\xff\xfe\x00 not json",
                    key=key,
                    headers=_headers(unreadable, known or "cn.ipmarket.faults.any.v1", "x"),
                    partition=partition,
                )
                expected[unreadable], kinds[unreadable] = set(readers), "unreadable bytes"
                if known is None:
                    continue
                handlers = {g for g in readers if known in typed[g]}
                for kind, event_type in (
                    ("missing field", known),
                    ("unknown type version", _later_version(known)),
                ):
                    event_id = str(uuid.uuid4())
                    await producer.send_and_wait(
                        topic,
                        value=b"{}",
                        key=key,
                        headers=_headers(event_id, event_type, "x"),
                        partition=partition,
                    )
                    expected[event_id], kinds[event_id] = handlers, kind
    finally:
        await producer.stop()
    poisoned = time.monotonic()

    # Good events after the poison: every partition has a poison before them.
    university = org(OrgType.UNIVERSITY, "南京大学")
    enterprise = org(OrgType.ENTERPRISE, "江苏某新能源有限公司")
    bank = org(OrgType.BANK, "中国银行南京分行")
    marks = {s: await outbox_mark(system, s) for s in ("listing", "pledge", "license")}
    async with httpx.AsyncClient(timeout=30) as http:
        declared = [await declare(http, system, university) for _ in range(6)]
        for number in await pledgeable(http, system, university, 6):
            await pledge_registered(http, system, number, university, bank)
        for _, declaration_id in declared:

            async def accept(d: str = declaration_id) -> bool:
                response = await http.post(
                    f"{system.url('license')}/v1/licenses",
                    json={"declaration_id": d, "field_of_use": "储能电池管理系统"},
                    headers=enterprise.headers(SETTINGS),
                )
                return response.status_code == 201

            await eventually(accept, timeout=120, interval=0.5)
    good = [
        e
        for service in ("listing", "pledge", "license")
        for e in await written_events(system, service, marks[service])
    ]

    async def still_applying() -> list[str]:
        """Groups that took none of the good events on a topic they read."""
        stuck = []
        for service, group, router in GROUPS:
            ids = [
                e.event_id
                for e in good
                if e.topic in router.topics
                and (
                    router.route(e.event_type)
                    or router.route_any(e.topic)
                    or router.route_any_batch(e.topic)
                )
            ]
            if not ids:
                continue
            rows = await query(
                system,
                service,
                "SELECT count(*) FROM inbox WHERE consumer_group = $1 AND event_id = ANY($2)",
                group,
                ids,
            )
            if rows[0][0] < len(ids):
                stuck.append(f"{group}: {rows[0][0]} of {len(ids)}")
        return stuck

    deadline = time.monotonic() + 120
    while True:
        stuck = await still_applying()
        if not stuck or time.monotonic() > deadline:
            break
        await asyncio.sleep(1)
    recovery = time.monotonic() - poisoned if not stuck else None
    parked = await _dead_letters(bootstrap, [group for _, group, _ in GROUPS])
    misplaced: dict[str, list[str]] = defaultdict(list)
    for event_id, groups in expected.items():
        for group in sorted(groups - {g for g, ids in parked.items() if event_id in ids}):
            misplaced[kinds[event_id]].append(group)
    dead = [name for name, p in system.processes.items() if not p.is_running()]
    lost = sum(len(groups) for groups in misplaced.values())
    figures = Figures(
        f"5. {len(expected)} poisoned records on {len(consumed)} topics",
        written=sum(len(g) for g in expected.values()),
        delivered=sum(len(g) for g in expected.values()) - lost,
        lost=lost,
        duplicates=0,
        violations=[*(f"consumer {s} stalled" for s in stuck), *(f"{d} exited" for d in dead)]
        + await settled_violations(system),
        recovery_s=recovery,
    )
    report(figures)
    for kind in sorted(set(kinds.values())):
        due = sum(len(expected[e]) for e in expected if kinds[e] == kind)
        missed = len(misplaced.get(kind, []))
        print(f"  {kind}: {due - missed} of {due} in their groups' dead-letter topics")
        if missed:
            print(f"    missing from: {dict(Counter(misplaced[kind]))}")
    assert stuck == [], stuck
    assert dead == [], dead
    assert not misplaced, dict(misplaced)
    assert figures.violations == []
