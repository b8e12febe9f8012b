"""The transactional outbox and its relay, on the real PostgreSQL and Tansu."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import REGISTRY
from sqlalchemy import insert, select, update

from devstack.broker import TansuBroker
from shared.messaging.kafka import create_producer, ensure_topics
from shared.messaging.outbox import OutboxRelay
from shared.messaging.replay import REPLAY_MARGIN
from shared.settings import ServiceSettings
from tests.shared.harness import MiniService, ThingHappened, effects, tables
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
async def running_relay(
    service: MiniService, topics_query: str | None = None
) -> AsyncIterator[OutboxRelay]:
    from shared.db.engine import asyncpg_dsn

    producer = create_producer(service.settings)
    await producer.start()
    relay = OutboxRelay(
        service.settings,
        asyncpg_dsn(service.settings.database_url),
        producer,
        topics_query=topics_query,
    )
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
        leader, standby = (first, second) if first.is_leader else (second, first)
        # The standby has tried the lease again since the leader took it, and was refused.
        tried = standby.lease_attempts
        await eventually(lambda: standby.lease_attempts > tried + 1, timeout=10)
        assert leader.is_leader
        assert not standby.is_leader
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
    from sqlalchemy import func

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


# -- a broker that lost its history -----------------------------------------------------------

NUMBER = "201710601862.3"
BANK_TOPIC = "ipmarket.pledge.bank.bank-test-restart.v1"


async def relay_state(service: MiniService) -> tuple[str | None, int | None]:
    async with service.engine.connect() as conn:
        row = (
            await conn.execute(
                select(
                    tables.outbox_relay_state.c.cluster_id,
                    tables.outbox_relay_state.c.replay_next_id,
                )
            )
        ).first()
    return (row[0], row[1]) if row else (None, None)


async def notes_on(broker: TansuBroker, last: str) -> list[str]:
    """The notes on the test topic, up to and including ``last`` (one key: one partition)."""
    events = await read_topic(
        broker.bootstrap_servers,
        ThingHappened.topic,
        until=lambda evs: any(e.data["note"] == last for e in evs),
    )
    return [e.data["note"] for e in events]


async def test_the_first_cluster_is_recorded_and_the_same_cluster_gets_no_replay(
    stack: Stack, private_broker: TansuBroker
) -> None:
    service = await new_service(stack, private_broker.bootstrap_servers)
    async with running_relay(service):
        for i in range(3):
            await commit_thing(service, NUMBER, f"first-{i}")
        await eventually(lambda: _zero(service))
    # First ever: recorded, nothing sent twice.
    assert await relay_state(service) == (private_broker.cluster_id, None)
    # A new leader on the same cluster sends what is new, nothing again.
    async with running_relay(service):
        await commit_thing(service, NUMBER, "later")
        await eventually(lambda: _zero(service))
    assert await notes_on(private_broker, "later") == ["first-0", "first-1", "first-2", "later"]
    assert await relay_state(service) == (private_broker.cluster_id, None)


async def test_a_broker_that_lost_its_history_gets_the_retained_outbox_again_in_order(
    stack: Stack,
) -> None:
    old = TansuBroker()
    old.start()
    try:
        service = await new_service(stack, old.bootstrap_servers)
        async with running_relay(service):
            for i in range(3):
                await commit_thing(service, NUMBER, f"sent-{i}")
            await eventually(lambda: _zero(service))
    finally:
        old.stop()
    await commit_thing(service, NUMBER, "queued")  # committed while there is no broker
    # Published within the retention but not within its margin: its consumers' inbox
    # records may be pruned before a second copy reaches them, so it is not sent again.
    retention = timedelta(hours=service.settings.outbox_retention_hours)
    async with service.engine.begin() as conn:
        await conn.execute(
            update(tables.outbox)
            .where(tables.outbox.c.payload["note"].astext == "sent-0")
            .values(published_at=datetime.now(UTC) - retention + REPLAY_MARGIN / 2)
        )

    new = TansuBroker()  # memory storage: a new cluster id, no topics, nothing
    new.start()
    try:
        assert new.cluster_id != old.cluster_id
        moved = MiniService(
            service.settings.model_copy(update={"kafka_bootstrap_servers": new.bootstrap_servers})
        )
        async with running_relay(moved):
            await eventually(lambda: _zero(moved))
            await eventually(lambda: _replay_done(moved, new))
            await commit_thing(moved, NUMBER, "after")
            await eventually(lambda: _zero(moved))
            # The relay created the topic the new cluster lacked, re-sent what was
            # published (same event ids), then what was queued, then what is new.
            assert await notes_on(new, "after") == ["sent-1", "sent-2", "queued", "after"]
        assert await relay_state(moved) == (new.cluster_id, None)
    finally:
        new.stop()


async def test_an_idle_relay_replays_too(stack: Stack) -> None:
    # Nothing new to send after the restart: what consumers lost comes back all the same,
    # and topics the database names (a bank's) exist again even with nothing for them.
    old = TansuBroker()
    old.start()
    try:
        service = await new_service(stack, old.bootstrap_servers)
        async with running_relay(service):
            for i in range(2):
                await commit_thing(service, NUMBER, f"sent-{i}")
            await eventually(lambda: _zero(service))
    finally:
        old.stop()
    new = TansuBroker()
    new.start()
    try:
        moved = MiniService(
            service.settings.model_copy(update={"kafka_bootstrap_servers": new.bootstrap_servers})
        )
        async with running_relay(moved, topics_query=f"SELECT '{BANK_TOPIC}'"):
            await eventually(lambda: _replay_done(moved, new))
            assert await notes_on(new, "sent-1") == ["sent-0", "sent-1"]
            await eventually(lambda: _has_topic(new, BANK_TOPIC), timeout=10)
    finally:
        new.stop()


async def test_a_new_leader_resumes_an_unfinished_replay(
    stack: Stack, private_broker: TansuBroker
) -> None:
    service = await new_service(stack, private_broker.bootstrap_servers)
    async with running_relay(service):
        for i in range(4):
            await commit_thing(service, NUMBER, f"sent-{i}")
        await eventually(lambda: _zero(service))
    # As a leader leaves it when it dies half-way through a replay of rows 2..3.
    async with service.engine.begin() as conn:
        ids = list(
            (await conn.execute(select(tables.outbox.c.id).order_by(tables.outbox.c.id))).scalars()
        )
        await conn.execute(
            update(tables.outbox_relay_state).values(replay_next_id=ids[2], replay_last_id=ids[3])
        )
    async with running_relay(service):
        await eventually(lambda: _replay_done(service, private_broker))
        await commit_thing(service, NUMBER, "after")
        await eventually(lambda: _zero(service))
    assert await notes_on(private_broker, "after") == [
        *(f"sent-{i}" for i in range(4)),
        "sent-2",
        "sent-3",
        "after",
    ]


async def _has_topic(broker: TansuBroker, topic: str) -> bool:
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap_servers)
    await admin.start()
    try:
        return topic in await admin.list_topics()
    finally:
        await admin.close()


async def _replay_done(service: MiniService, broker: TansuBroker) -> bool:
    return await relay_state(service) == (broker.cluster_id, None)


async def test_a_running_relay_replays_before_what_is_committed_after_the_broker_restarts(
    stack: Stack,
) -> None:
    # The relay keeps running while the broker restarts empty at the same address, and a
    # commit wakes it, likely before its idle look at the cluster: then it asks for the
    # cluster id while it reads the batch. Either way what consumers lost goes out first.
    old = TansuBroker()
    old.start()
    port = old.port
    service = await new_service(stack, old.bootstrap_servers)
    new: TansuBroker | None = None
    try:
        async with running_relay(service):
            for i in range(2):
                await commit_thing(service, NUMBER, f"sent-{i}")
            await eventually(lambda: _zero(service))
            old.stop()
            new = TansuBroker(port=port)
            new.start()
            assert new.cluster_id != old.cluster_id
            await commit_thing(service, NUMBER, "after")
            await eventually(lambda: _zero(service), timeout=20)
            await eventually(lambda: _replay_done(service, new), timeout=20)
        assert await notes_on(new, "after") == ["sent-0", "sent-1", "after"]
    finally:
        old.stop()
        if new is not None:
            new.stop()
