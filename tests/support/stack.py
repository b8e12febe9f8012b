"""Helpers that tests use to run services in-process against the real stack."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from devstack.broker import TansuBroker
from devstack.postgres import PostgresServer
from shared.auth import OrgType, issue_token
from shared.clock import SystemClock
from shared.db.engine import asyncpg_dsn
from shared.domain import application_number_check_digit, uscc_check_character
from shared.events.envelope import CloudEvent
from shared.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)

# Settings that keep the suite fast on a shared 2-core machine. Tansu answers a waiting
# fetch only when its wait ends, and a consumer group's first assignment waits about half
# the session timeout: short waits and sessions keep both out of every test.
FAST_KAFKA = {
    "kafka_session_timeout_ms": 6000,
    "kafka_heartbeat_interval_ms": 1000,
    "kafka_fetch_max_wait_ms": 10,
    "kafka_topic_partitions": 3,
    "outbox_poll_interval_ms": 50,
    "consumer_retry_backoff_ms": 20,
    "shutdown_timeout_s": 5.0,
    "log_json": False,
    "log_level": "WARNING",
}


@dataclass
class Stack:
    postgres: PostgresServer
    broker: TansuBroker
    root: Path

    def settings(self, cls: type[S], database: str | None = None, **overrides: Any) -> S:
        """Settings of one service on a fresh database of the session's Postgres."""
        name = database or f"{cls.__name__.lower()}_{uuid.uuid4().hex[:8]}"
        self.postgres.create_database(name)
        values: dict[str, Any] = {
            "database_url": self.postgres.url(name),
            # A group of its own, so no other app or process on the session's broker takes
            # its partitions (the e2e services use the real group names).
            "kafka_consumer_group": f"test-{name}",
            "kafka_bootstrap_servers": self.broker.bootstrap_servers,
            "environment": "test",
            **FAST_KAFKA,
        }
        values.update(overrides)
        return cls(**values)


@asynccontextmanager
async def running_app(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Start the app's real lifespan (migrations, producer, relay, consumers) and give a
    client that calls it in-process."""
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


_serial = itertools.count(int(uuid.uuid4().int % 900_000) * 10)


def application_number(year: int = 2019, kind: int = 1) -> str:
    """A fresh, valid, normalised application number (unique within the session)."""
    body = f"{year}{kind}{next(_serial) % 10_000_000:07d}"
    return f"{body}.{application_number_check_digit(body)}"


_uscc_serial = itertools.count(int(uuid.uuid4().int % 90_000_000))


def uscc(prefix: str = "12110000") -> str:
    """A fresh, valid unified social credit code (GB 32100)."""
    first17 = f"{prefix}{next(_uscc_serial) % 1_000_000_000:09d}"[:17]
    return first17 + uscc_check_character(first17)


@dataclass(frozen=True)
class Org:
    org_id: str
    name: str
    org_type: OrgType
    uscc: str | None

    def headers(
        self, settings: ServiceSettings, scopes: Iterable[str] | None = None
    ) -> dict[str, str]:
        token = issue_token(
            settings,
            org_id=self.org_id,
            org_name=self.name,
            org_type=self.org_type,
            uscc=self.uscc,
            scopes=list(scopes) if scopes else None,
        )
        return {"Authorization": f"Bearer {token}"}


def org(org_type: OrgType, name: str, *, with_uscc: bool = True) -> Org:
    prefix = {OrgType.BANK: "91110000", OrgType.ENTERPRISE: "91440300"}.get(org_type, "12110000")
    return Org(
        org_id=f"{org_type.value}-{uuid.uuid4().hex[:10]}",
        name=name,
        org_type=org_type,
        uscc=uscc(prefix) if with_uscc else None,
    )


OPERATOR_SCOPES = ("ipmarket:read", "ipmarket:write", "ipmarket:operate")


async def eventually(
    check: Callable[[], Any], *, timeout: float = 20.0, interval: float = 0.1
) -> Any:
    """Poll ``check`` (sync or async) until it returns something truthy; fail after timeout."""
    deadline = asyncio.get_running_loop().time() + timeout
    last: Any = None
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        last = result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last: {last!r})")
        await asyncio.sleep(interval)


async def consumed(
    settings: ServiceSettings, event_id: str, *, group: str | None = None, timeout: float = 20.0
) -> None:
    """Wait until the service's consumer group has handled the event with this CloudEvents
    id: the id is in the group's inbox, written in the same transaction as the handler's
    effects, so whatever the event did (or failed to do) is visible once it is there."""
    group = group or settings.kafka_consumer_group or f"ipmarket-{settings.service_name}"
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:

        async def handled() -> bool:
            row = await conn.fetchval(
                "SELECT 1 FROM inbox WHERE consumer_group = $1 AND event_id = $2",
                group,
                event_id,
            )
            return row is not None

        await eventually(handled, timeout=timeout)
    finally:
        await conn.close()


async def read_topic(
    bootstrap: str, topic: str, *, until: Callable[[list[CloudEvent]], bool], timeout: float = 20
) -> list[CloudEvent]:
    """Read a topic from the beginning with a plain consumer (no group) until ``until``."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=10
    )
    await consumer.start()
    events: list[CloudEvent] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while not until(events):
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"{topic}: condition not met; got {[e.type for e in events]}")
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                events += [CloudEvent.from_kafka(r.headers, r.value) for r in records]
        return events
    finally:
        await asyncio.wait_for(consumer.stop(), 10)


def real_today() -> date:
    """Today in Asia/Shanghai on the real clock: what a service's clock says unless a
    test moved it (``shared.clock``)."""
    return SystemClock().today()
