"""The dead-letter operations API every service serves (``shared.http.operations``), on
the real PostgreSQL and Tansu: a miniature service built by the shared app factory, with
one consumer group of a topic of its own whose handler fails until "fixed"."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
import pytest

from devstack.ports import free_port
from shared.auth import OrgType
from shared.db.uow import UnitOfWork
from shared.events.envelope import CloudEvent
from shared.events.topics import dead_letter_topic
from shared.http.app import create_http_app
from shared.messaging.consumer import EventContext, EventRouter
from shared.messaging.dead_letters import DeadLetterDesk
from shared.messaging.kafka import create_producer
from shared.runtime import ConsumerSpec, ServiceRuntime
from shared.settings import ServiceSettings
from tests.support.stack import Stack, eventually, org, running_app
from webhooks.main import MIGRATIONS
from webhooks.models import infrastructure

OPERATOR = org(OrgType.OPERATOR, "平台运营方")
PATH = "/v1/operations/dead-letters"


@dataclass
class MiniOps:
    client: httpx.AsyncClient
    runtime: ServiceRuntime
    settings: ServiceSettings
    topic: str
    handled: list[str] = field(default_factory=list)
    fixed: set[str] = field(default_factory=set)

    @property
    def group(self) -> str:
        return self.runtime.consumer_groups()[0]

    def headers(self) -> dict[str, str]:
        return OPERATOR.headers(self.settings)

    async def publish(self, *values: tuple[bytes, list[tuple[str, bytes]]]) -> None:
        producer = create_producer(self.settings)
        await producer.start()
        try:
            for value, headers in values:
                await producer.send_and_wait(self.topic, value=value, key=b"k", headers=headers)
        finally:
            await asyncio.wait_for(producer.stop(), 10)

    async def groups(self) -> list[dict[str, object]]:
        reply = await self.client.get(PATH, headers=self.headers())
        assert reply.status_code == 200, reply.text
        groups: list[dict[str, object]] = reply.json()["groups"]
        return groups


def note(text: str) -> tuple[bytes, list[tuple[str, bytes]]]:
    event = CloudEvent(
        source="/ipmarket/test", type="cn.ipmarket.test.note.v1", data={"note": text}
    )
    return event.kafka_value(), event.kafka_headers()


@asynccontextmanager
async def mini_ops(stack: Stack) -> AsyncIterator[MiniOps]:
    settings = stack.settings(ServiceSettings, service_name="opstest", consumer_max_attempts=2)
    topic = f"ipmarket.test.ops-{uuid.uuid4().hex[:8]}.v1"
    handled: list[str] = []
    fixed: set[str] = set()
    router = EventRouter()

    @router.on_any(topic)
    async def take(event: CloudEvent, ctx: EventContext, uow: UnitOfWork) -> None:
        text = event.data["note"]
        if text.startswith("flaky") and text not in fixed:
            raise RuntimeError("this handler cannot cope with that note yet")
        handled.append(text)

    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes=set(),
        consumers=[ConsumerSpec("ipmarket-opstest", router)],
    )
    app = create_http_app(runtime, title="ops test", description="ops test", routers=[])
    async with running_app(app) as client:
        ops = MiniOps(client, runtime, settings, topic, handled, fixed)
        yield ops


async def test_dead_letters_are_counted_and_redriven_over_http(stack: Stack) -> None:
    async with mini_ops(stack) as ops:
        flaky, sentinel = f"flaky-{uuid.uuid4().hex[:6]}", f"sentinel-{uuid.uuid4().hex[:6]}"
        unreadable = (b"not json at all", note("x")[1])
        await ops.publish(note(flaky), unreadable, note(sentinel))
        await eventually(lambda: sentinel in ops.handled)

        expected = {"group": ops.group, "topic": dead_letter_topic(ops.group)}
        parked = {**expected, "dead_letters": 2, "awaiting_redrive": 2}
        assert await eventually(lambda: _when(ops.groups(), [parked]), timeout=20)
        assert flaky not in ops.handled

        ops.fixed.add(flaky)  # the fix is deployed
        reply = await ops.client.post(f"{PATH}/redrive", headers=ops.headers())
        assert reply.status_code == 200, reply.text
        assert reply.json() == {"redriven": 2, "by_topic": {ops.topic: 2}}
        await eventually(lambda: flaky in ops.handled)
        assert ops.handled.count(flaky) == 1
        # The unreadable record could not be handled this time either: parked again, it
        # awaits the next re-drive; everything else was re-driven.
        again = {**expected, "dead_letters": 3, "awaiting_redrive": 1}
        assert await eventually(lambda: _when(ops.groups(), [again]))


async def test_concurrent_redrives_from_two_instances_redrive_each_record_once(
    stack: Stack,
) -> None:
    async with mini_ops(stack) as ops:
        flaky = [f"flaky-{i}-{uuid.uuid4().hex[:6]}" for i in range(5)]
        await ops.publish(*(note(n) for n in flaky))
        awaiting = {"group": ops.group, "topic": dead_letter_topic(ops.group)}
        assert await eventually(
            lambda: _when(ops.groups(), [{**awaiting, "dead_letters": 5, "awaiting_redrive": 5}]),
            timeout=30,
        )
        ops.fixed.update(flaky)
        # A second instance of the service: its own in-process locks, the same database.
        other = DeadLetterDesk(ops.settings, ops.runtime.engine, ops.runtime.consumer_groups())
        here, there = await asyncio.gather(
            ops.client.post(f"{PATH}/redrive", headers=ops.headers()), other.redrive()
        )
        assert here.status_code == 200, here.text
        assert sorted([here.json()["redriven"], there.redriven]) == [0, 5]
        await eventually(lambda: set(flaky) <= set(ops.handled))
        assert sorted(ops.handled) == sorted(flaky)


async def test_only_the_operator_sees_or_redrives_dead_letters(stack: Stack) -> None:
    async with mini_ops(stack) as ops:
        for caller in (
            org(OrgType.REGULATOR, "国家知识产权局"),
            org(OrgType.EXCHANGE, "技术交易所"),
        ):
            for reply in (
                await ops.client.get(PATH, headers=caller.headers(ops.settings)),
                await ops.client.post(f"{PATH}/redrive", headers=caller.headers(ops.settings)),
            ):
                assert reply.status_code == 403, reply.text
                assert reply.headers["content-type"] == "application/problem+json"
        # The operator's token without the operate scope reads nothing here either.
        reader = OPERATOR.headers(ops.settings, ["ipmarket:read", "ipmarket:write"])
        reply = await ops.client.get(PATH, headers=reader)
        assert reply.status_code == 403
        assert reply.json()["detail"] == "token lacks the scope ipmarket:operate"

        unknown = await ops.client.post(
            f"{PATH}/redrive", params={"group": "ipmarket-nobody"}, headers=ops.headers()
        )
        assert unknown.status_code == 422, unknown.text
        assert unknown.json()["field"] == "group"
        one = await ops.client.post(
            f"{PATH}/redrive", params={"group": ops.group}, headers=ops.headers()
        )
        assert one.json() == {"redriven": 0, "by_topic": {}}


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_broker_that_does_not_answer_is_a_503_to_retry_later(
    stack: Stack, method: str
) -> None:
    # Nothing listens on the port: the lifespan is not run (it would wait for a broker).
    settings = stack.settings(
        ServiceSettings,
        service_name="opstest",
        kafka_bootstrap_servers=f"127.0.0.1:{free_port()}",
        kafka_request_timeout_ms=2000,
    )
    runtime = ServiceRuntime(
        settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes=set(),
        consumers=[ConsumerSpec("ipmarket-opstest", EventRouter())],
    )
    app = create_http_app(runtime, title="ops test", description="ops test", routers=[])
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            path = PATH if method == "GET" else f"{PATH}/redrive"
            reply = await client.request(method, path, headers=OPERATOR.headers(settings))
    finally:
        await runtime.engine.dispose()
    assert reply.status_code == 503, reply.text
    assert reply.headers["content-type"] == "application/problem+json"
    assert reply.json()["type"].endswith("/broker-unavailable")
    assert reply.headers["retry-after"] == "5"


async def _when(groups: object, expected: list[dict[str, object]]) -> bool:
    assert asyncio.iscoroutine(groups)
    return bool(await groups == expected)
