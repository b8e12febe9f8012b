"""The idempotent consumer and dead letters, on the real PostgreSQL and Tansu."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import insert, select, text

from shared.db.uow import UnitOfWork
from shared.events.envelope import CloudEvent
from shared.events.topics import dead_letter_topic
from shared.messaging.consumer import EventContext, EventRouter, IdempotentConsumer
from shared.messaging.kafka import create_producer, ensure_topics
from shared.observability.tracing import new_traceparent, parse_trace_id
from shared.settings import ServiceSettings
from tests.shared.harness import MiniService, ThingHappened, effects, tables
from tests.support.stack import Stack, eventually


class Harness:
    def __init__(
        self,
        service: MiniService,
        consumer: IdempotentConsumer,
        producer: AIOKafkaProducer,
        topic: str,
    ) -> None:
        self.service = service
        self.consumer = consumer
        self.producer = producer
        self.topic = topic
        self.batch_calls: list[int] = []  # events per call of the batch handler

    async def publish(self, event: CloudEvent, key: str = "201710601862.3") -> None:
        await self.producer.send_and_wait(
            self.topic, value=event.kafka_value(), key=key.encode(), headers=event.kafka_headers()
        )

    async def publish_raw(
        self, value: bytes, headers: list[tuple[str, bytes]] | None = None
    ) -> None:
        # Same key as the events: one partition, so dead-letter order follows publish order.
        await self.producer.send_and_wait(
            self.topic, value=value, key=b"201710601862.3", headers=headers
        )


def thing(note: str, event_id: str | None = None) -> CloudEvent:
    data = ThingHappened(application_number="201710601862.3", note=note)
    return CloudEvent(
        id=event_id or str(uuid.uuid4()),
        source="/ipmarket/test",
        type=ThingHappened.event_type,
        data=data.model_dump(mode="json"),
        subject=data.subject(),
        partitionkey=data.partition_key(),
        traceparent=new_traceparent(),
    )


# Notes the handler has been "fixed" to accept (a deployment of a fix, in miniature).
FIXED: set[str] = set()


@contextlib.asynccontextmanager
async def _harness(
    stack: Stack, *, backlog: list[CloudEvent], batch_handler: bool = False
) -> AsyncIterator[Harness]:
    """A consumer of a topic of its own; ``backlog`` is published before it starts, so
    its first fetches take several events at once. With ``batch_handler``, the topic's
    events go to one handler of raw events, several at a time."""
    group = f"test-consumer-{uuid.uuid4().hex[:8]}"
    topic = f"ipmarket.test.{group}.v1"  # a topic of this test alone
    settings = stack.settings(
        ServiceSettings,
        service_name="consumer-test",
        kafka_session_timeout_ms=6000,
        kafka_heartbeat_interval_ms=1000,
        consumer_max_attempts=2,
    )
    service = MiniService(settings)
    await service.create_schema()
    await ensure_topics(settings, [topic, dead_letter_topic(group)])
    router = EventRouter()

    @router.on(ThingHappened)
    async def record(event: ThingHappened, ctx: EventContext, uow: UnitOfWork) -> None:
        if event.note == "always fails" or (
            event.note.startswith("flaky") and event.note not in FIXED
        ):
            raise RuntimeError("this handler cannot cope with that note")
        await uow.session.execute(insert(effects).values(note=event.note))
        if event.note.startswith("echo"):
            uow.emit(ThingHappened(application_number=event.application_number, note=event.note))

    calls: list[int] = []

    async def record_all(events: list[tuple[CloudEvent, EventContext]], uow: UnitOfWork) -> None:
        calls.append(len(events))
        for event, ctx in events:
            await record(ThingHappened.model_validate(event.data), ctx, uow)

    if batch_handler:
        router = EventRouter()
        router.on_any_batch(topic)(record_all)

    producer = create_producer(settings)
    await producer.start()
    consumer = IdempotentConsumer(
        settings=settings,
        group_id=group,
        router=router,
        uow_factory=service.uow,
        tables=tables,
        producer=producer,
        topics={topic},
    )
    harness = Harness(service, consumer, producer, topic)
    harness.batch_calls = calls
    for event in backlog:
        await harness.publish(event)
    await consumer.start()
    task = asyncio.create_task(consumer.run())
    try:
        yield harness
    finally:
        consumer.stop()
        await asyncio.wait_for(task, 10)
        await consumer.close()
        await asyncio.wait_for(producer.stop(), 10)


@pytest.fixture
async def harness(stack: Stack) -> AsyncIterator[Harness]:
    async with _harness(stack, backlog=[]) as running:
        yield running


async def test_a_redelivered_event_has_no_second_effect(harness: Harness) -> None:
    marker = f"once-{uuid.uuid4().hex[:6]}"
    event = thing(marker)
    await harness.publish(event)
    await harness.publish(event)  # the same CloudEvents id again
    await harness.publish(thing("sentinel-" + marker))
    await eventually(lambda: _has(harness, "sentinel-" + marker))
    assert (await harness.service.notes()).count(marker) == 1


async def test_malformed_and_failing_events_go_to_the_dead_letter_topic(harness: Harness) -> None:
    await harness.publish_raw(b"not json at all", headers=thing("x").kafka_headers())
    await harness.publish_raw(b'{"a":1}', headers=[("ce_type", b"x")])
    invalid = CloudEvent(source="/ipmarket/test", type=ThingHappened.event_type, data={"note": 1})
    await harness.publish(invalid)
    await harness.publish(thing("always fails"))
    # A version of the type this group reads in v1 is parked; a type new to it is skipped.
    newer = thing("from a newer publisher")
    await harness.publish(newer.model_copy(update={"type": _version(newer.type, 99)}))
    await harness.publish(newer.model_copy(update={"type": "cn.ipmarket.test.other.v1"}))
    after = f"after-{uuid.uuid4().hex[:6]}"
    await harness.publish(thing(after))

    # The consumer carries on past every bad record.
    await eventually(lambda: _has(harness, after))
    dlq = harness.consumer.dead_letter_topic
    settings = harness.service.settings
    parked = await _read_dlq(settings.kafka_bootstrap_servers, dlq, count=5)
    reasons = [dict(h)["dlq-reason"].decode() for h in parked]
    assert reasons == ["malformed", "malformed", "invalid", "handler_failed", "unsupported_version"]
    errors = [dict(h)["dlq-error"].decode() for h in parked]
    assert "body is not JSON" in errors[0]
    assert "missing CloudEvents headers" in errors[1]
    assert "cannot cope" in errors[3]
    assert f"this group reads {ThingHappened.event_type}" in errors[4]
    assert all(dict(h)["dlq-original-topic"] == harness.topic.encode() for h in parked)


def _version(event_type: str, version: int) -> str:
    name, _, _ = event_type.rpartition(".v")
    return f"{name}.v{version}"


async def test_shutdown_is_bounded(harness: Harness) -> None:
    started = time.monotonic()
    harness.consumer.stop()
    await asyncio.sleep(0.5)
    await harness.consumer.close()
    assert time.monotonic() - started < harness.service.settings.shutdown_timeout_s + 2


async def _has(harness: Harness, note: str) -> bool:
    return note in await harness.service.notes()


async def _read_dlq(bootstrap: str, topic: str, count: int) -> list[list[tuple[str, bytes]]]:
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    found: list[list[tuple[str, bytes]]] = []
    try:
        deadline = time.monotonic() + 20
        while len(found) < count and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                found += [list(r.headers) for r in records]
        found.sort(key=lambda h: int(dict(h)["dlq-original-offset"]))
        return found
    finally:
        await asyncio.wait_for(consumer.stop(), 10)


async def test_dead_letters_are_redriven_after_a_fix(harness: Harness) -> None:
    from shared.messaging.redrive import redrive

    note = f"flaky-{uuid.uuid4().hex[:6]}"
    failing = thing(note)
    await harness.publish(failing)
    sentinel = f"sentinel-{uuid.uuid4().hex[:6]}"
    await harness.publish(thing(sentinel))
    await eventually(lambda: _has(harness, sentinel))
    assert note not in await harness.service.notes()

    bootstrap = harness.service.settings.kafka_bootstrap_servers
    group = harness.consumer.group_id
    dry = await redrive(bootstrap, group, dry_run=True)
    assert dry.by_topic == {harness.topic: 1}

    FIXED.add(note)  # the fix is deployed
    assert (await redrive(bootstrap, group)).redriven == 1
    await eventually(lambda: _has(harness, note))
    assert (await harness.service.notes()).count(note) == 1
    # Each dead letter is re-driven once.
    assert (await redrive(bootstrap, group)).redriven == 0


async def test_a_backlog_is_handled_in_few_transactions_each_event_in_its_own_trace(
    stack: Stack,
) -> None:
    run = uuid.uuid4().hex[:6]
    backlog = [thing(f"echo-{run}-{i:02d}") for i in range(30)]
    async with _harness(stack, backlog=backlog) as harness:
        await eventually(lambda: _has(harness, f"echo-{run}-29"))
        notes = [n for n in await harness.service.notes() if n.startswith(f"echo-{run}")]
        assert notes == [e.data["note"] for e in backlog]  # in order, each once
        async with harness.service.engine.connect() as conn:
            transactions = (
                await conn.execute(
                    text("SELECT count(DISTINCT xmin::text) FROM effects WHERE note LIKE :p"),
                    {"p": f"echo-{run}-%"},
                )
            ).scalar_one()
            emitted = (
                await conn.execute(
                    select(tables.outbox.c.payload, tables.outbox.c.traceparent).where(
                        tables.outbox.c.payload["note"].astext.like(f"echo-{run}-%")
                    )
                )
            ).all()
        assert transactions < len(backlog) / 2, transactions
        # Each event a handler emitted continues the trace of the event it handled.
        trace_of = {e.data["note"]: parse_trace_id(e.traceparent) for e in backlog}
        assert len(set(trace_of.values())) == len(backlog)
        assert {payload["note"]: parse_trace_id(tp) for payload, tp in emitted} == trace_of


async def test_a_failing_event_in_a_batch_leaves_its_neighbours_handled_once(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    run = uuid.uuid4().hex[:6]
    first, second, third = (thing(f"{n}-{run}") for n in ("first", "second", "third"))
    backlog = [first, second, thing("always fails"), second, third]  # second: delivered twice
    caplog.set_level(logging.INFO, logger="shared.messaging.consumer")
    async with _harness(stack, backlog=backlog) as harness:
        await eventually(lambda: _has(harness, f"third-{run}"))
        parked = await _read_dlq(
            harness.service.settings.kafka_bootstrap_servers,
            harness.consumer.dead_letter_topic,
            count=1,
        )
        notes = [n for n in await harness.service.notes() if n.endswith(run)]
    assert notes == [f"first-{run}", f"second-{run}", f"third-{run}"]
    assert [dict(h)["dlq-reason"] for h in parked] == [b"handler_failed"]
    # The batch was tried together, rolled back, then handled one by one.
    assert any("inside a batch" in r.getMessage() for r in caplog.records)


async def test_a_batch_handler_takes_a_backlog_at_once_and_a_failure_one_by_one(
    stack: Stack,
) -> None:
    run = uuid.uuid4().hex[:6]
    backlog = [thing(f"many-{run}-{i}") for i in range(5)]
    backlog.insert(3, thing("always fails"))
    async with _harness(stack, backlog=backlog, batch_handler=True) as harness:
        await eventually(lambda: _has(harness, f"many-{run}-4"))
        parked = await _read_dlq(
            harness.service.settings.kafka_bootstrap_servers,
            harness.consumer.dead_letter_topic,
            count=1,
        )
        notes = [n for n in await harness.service.notes() if n.startswith(f"many-{run}")]
    assert notes == [f"many-{run}-{i}" for i in range(5)]
    assert [dict(h)["dlq-reason"] for h in parked] == [b"handler_failed"]
    # Several events in the first call; the batch with the failure went one by one.
    assert harness.batch_calls[0] > 1, harness.batch_calls
    assert harness.batch_calls.count(1) >= 2, harness.batch_calls
