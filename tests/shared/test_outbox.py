"""The transactional outbox and its relay, on the real PostgreSQL and Tansu."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import insert

from devstack.broker import TansuBroker
from shared.messaging.kafka import create_producer, ensure_topics
from shared.messaging.outbox import OutboxRelay
from shared.settings import ServiceSettings
from tests.shared.harness import MiniService, ThingHappened, effects
from tests.support.stack import Stack, eventually, read_topic


@pytest.fixture
async def private_broker() -> AsyncIterator[TansuBroker]:
    """A broker of this test alone, so pausing it disturbs nobody else."""
    broker = TansuBroker()
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@contextlib.asynccontextmanager
async def running_relay(service: MiniService) -> AsyncIterator[OutboxRelay]:
    from shared.db.engine import asyncpg_dsn

    producer = create_producer(service.settings)
    await producer.start()
    relay = OutboxRelay(service.settings, asyncpg_dsn(service.settings.database_url), producer)
    task = asyncio.create_task(relay.run())
    try:
        yield relay
    finally:
        relay.stop()
        await asyncio.wait_for(task, 10)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(producer.stop(), 10)


async def new_service(stack: Stack, bootstrap: str, **overrides: object) -> MiniService:
    settings = stack.settings(
        ServiceSettings,
        kafka_bootstrap_servers=bootstrap,
        service_name="outbox-test",
        kafka_request_timeout_ms=3000,
        **overrides,
    )
    service = MiniService(settings)
    await service.create_schema()
    await ensure_topics(settings, [ThingHappened.topic])
    return service


async def commit_thing(service: MiniService, number: str, note: str) -> None:
    async with service.uow() as uow:
        await uow.session.execute(insert(effects).values(note=note))
        uow.emit(ThingHappened(application_number=number, note=note))
        await uow.commit()


async def test_rolled_back_work_publishes_nothing(stack: Stack) -> None:
    service = await new_service(stack, stack.broker.bootstrap_servers)
    async with service.uow() as uow:
        uow.emit(ThingHappened(application_number="201710601862.3", note="never"))
        # leaving without commit rolls back
    assert await service.unpublished() == 0
    assert await service.notes() == []


async def test_events_wait_out_a_broker_outage_and_arrive_in_order(
    stack: Stack, private_broker: TansuBroker
) -> None:
    service = await new_service(stack, private_broker.bootstrap_servers)
    async with running_relay(service):
        await commit_thing(service, "201710601862.3", "before")
        await eventually(lambda: _zero(service))

        failed_before = publish_failures(service)
        private_broker.pause()
        try:
            for i in range(5):
                await commit_thing(service, "201710601862.3", f"during-{i}")
            # The broker is unreachable: once the relay has tried to publish and failed,
            # everything committed is still queued, nothing is lost.
            await eventually(lambda: publish_failures(service) > failed_before, timeout=30)
            assert await service.unpublished() == 5
        finally:
            private_broker.resume()

        await eventually(lambda: _zero(service), timeout=40)
        events = await read_topic(
            private_broker.bootstrap_servers,
            ThingHappened.topic,
            until=lambda evs: len({e.id for e in evs}) >= 6,
            timeout=30,
        )
    notes = []
    for event in events:  # duplicates (same id) may follow a failure; order is what matters
        if event.data["note"] not in notes:
            notes.append(event.data["note"])
    assert notes == ["before"] + [f"during-{i}" for i in range(5)]
    assert all(e.partitionkey == "201710601862.3" for e in events)


async def test_only_one_relay_leads_and_a_standby_takes_over(stack: Stack) -> None:
    service = await new_service(stack, stack.broker.bootstrap_servers)
    async with running_relay(service) as first, running_relay(service) as second:
        await eventually(lambda: first.is_leader or second.is_leader)
        await asyncio.sleep(1.2)
        assert first.is_leader != second.is_leader
        leader, standby = (first, second) if first.is_leader else (second, first)
        leader.stop()
        await eventually(lambda: standby.is_leader, timeout=10)
        await commit_thing(service, "201810234561.2", "after failover")
        await eventually(lambda: _zero(service), timeout=20)


def publish_failures(service: MiniService) -> float:
    """Batches the service's relay could not publish so far (its metric)."""
    labels = {"service": service.settings.service_name}
    value = REGISTRY.get_sample_value("ipmarket_outbox_publish_failures_total", labels)
    return value or 0.0


async def _zero(service: MiniService) -> bool:
    return await service.unpublished() == 0


async def test_published_rows_are_pruned_after_retention(stack: Stack) -> None:
    from sqlalchemy import func, select

    from tests.shared.harness import tables

    service = await new_service(
        stack, stack.broker.bootstrap_servers, outbox_retention_hours=0, housekeeping_interval_s=0
    )

    async def outbox_rows() -> int:
        async with service.engine.connect() as conn:
            return int(
                (await conn.execute(select(func.count()).select_from(tables.outbox))).scalar_one()
            )

    async with running_relay(service):
        await commit_thing(service, "201710601862.3", "pruned")
        await eventually(lambda: _zero(service))
        await eventually(lambda: _none(outbox_rows))
    assert await service.notes() == ["pruned"]  # the effect stays; only the sent event goes


async def _none(count: object) -> bool:
    return await count() == 0  # type: ignore[operator,no-any-return]
