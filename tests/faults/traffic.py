"""What the scenarios write through the services' APIs, and how they count what arrived.

"Written" is an API answer 2xx; each write names the events it caused by reading the
writing service's outbox (the event ids the relay publishes), and an event is
"delivered" once it reached every consumer the scenario watches for it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import asyncpg
import httpx

from shared.auth import OrgType
from shared.events import topics
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.e2e.test_restart import declare as declare_at
from tests.e2e.test_walking_skeleton import patent
from tests.support.stack import OPERATOR_SCOPES, Org, application_number, eventually, org
from tests.webhooks.receiver import Receiver

SETTINGS = ServiceSettings()  # the services' default development signing key
REGISTERED = "cn.ipmarket.listing.patent.registered.v1"
DECLARED = "cn.ipmarket.listing.declaration.published.v1"
OPERATOR = org(OrgType.OPERATOR, "平台运营方")
T = TypeVar("T")


def dsn(system: System, service: str) -> str:
    """asyncpg DSN of one service's database in ``system``."""
    return system.stack.postgres.dsn(system.databases[service])


async def query(system: System, service: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    """Read-only SQL on one service's database."""
    conn = await asyncpg.connect(dsn(system, service))
    try:
        async with conn.transaction(readonly=True):
            return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def bounded(limit: int, jobs: Iterable[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run the jobs ``limit`` at a time; results in the jobs' order."""
    gate = asyncio.Semaphore(limit)

    async def one(job: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(one(job) for job in jobs)))


async def new_patent(http: httpx.AsyncClient, system: System, owner: Org) -> str:
    number = application_number(2019, 1)
    created = await http.post(
        f"{system.url('listing')}/v1/patents",
        json=patent(owner, number),
        headers=owner.headers(SETTINGS),
    )
    assert created.status_code == 201, created.text
    return number


async def declare(http: httpx.AsyncClient, system: System, owner: Org) -> tuple[str, str]:
    """A new patent with an announced open licence: (application number, declaration id)."""
    return await declare_at(http, system.url("listing"), owner)


def pledge_body(number: str, bank: Org) -> dict[str, Any]:
    return {
        "application_numbers": [number],
        "pledgee": {"org_id": bank.org_id, "name": bank.name, "uscc": bank.uscc},
        "secured_amount": {"amount": "3000000.00", "currency": "CNY"},
        "debt_term_end": "2029-06-30",
        "has_forfeiture_clause": False,
    }


async def apply_pledge(
    http: httpx.AsyncClient, system: System, number: str, owner: Org, bank: Org
) -> httpx.Response:
    return await http.post(
        f"{system.url('pledge')}/v1/pledges",
        json=pledge_body(number, bank),
        headers=owner.headers(SETTINGS),
    )


async def register_pledge(
    http: httpx.AsyncClient, system: System, pledge_id: str, bank: Org
) -> httpx.Response:
    return await http.post(
        f"{system.url('pledge')}/v1/pledges/{pledge_id}/registration",
        json={
            "registration_number": f"Y2026{uuid.uuid4().int % 10**9:09d}",
            "registered_on": str(date.today()),
        },
        headers=bank.headers(SETTINGS),
    )


async def pledge_registered(
    http: httpx.AsyncClient, system: System, number: str, owner: Org, bank: Org
) -> str:
    """A pledge on ``number`` applied for by ``owner`` and registered by ``bank``: its id."""
    applied = await apply_pledge(http, system, number, owner, bank)
    assert applied.status_code == 201, applied.text
    registered = await register_pledge(http, system, str(applied.json()["id"]), bank)
    assert registered.status_code == 200, registered.text
    return str(applied.json()["id"])


async def pledgeable(http: httpx.AsyncClient, system: System, owner: Org, count: int) -> list[str]:
    """``count`` new patents of ``owner`` that pledge has learned of (it admits pledges
    only on patents its catalogue view holds)."""
    numbers = await bounded(8, [lambda: new_patent(http, system, owner)] * count)
    await eventually(lambda: pledge_knows(system, set(numbers)), timeout=180, interval=0.5)
    return numbers


async def pledge_knows(system: System, numbers: set[str]) -> bool:
    rows = await query(
        system,
        "pledge",
        "SELECT application_number FROM patent_views WHERE application_number = ANY($1)",
        list(numbers),
    )
    return len(rows) == len(numbers)


async def connect(
    http: httpx.AsyncClient, system: System, receiver: Receiver, event_types: list[str]
) -> str:
    """A platform of its own with one endpoint at ``receiver``; returns the endpoint id."""
    exchange = Org(
        f"exchange-{uuid.uuid4().hex[:8]}", "浙江知识产权交易中心", OrgType.EXCHANGE, None
    )
    webhooks = system.url("webhooks")
    platform = await http.post(
        f"{webhooks}/v1/platforms",
        json={"org_id": exchange.org_id, "name": f"{exchange.name}{receiver.name}"},
        headers=OPERATOR.headers(SETTINGS, scopes=OPERATOR_SCOPES),
    )
    assert platform.status_code == 201, platform.text
    endpoint = await http.post(
        f"{webhooks}/v1/platforms/{platform.json()['id']}/endpoints",
        json={"url": receiver.url, "event_types": event_types},
        headers=exchange.headers(SETTINGS),
    )
    assert endpoint.status_code == 201, endpoint.text
    receiver.secrets.append(endpoint.json()["secret"])
    return str(endpoint.json()["id"])


@dataclass(frozen=True)
class Written:
    """One event a 2xx write committed: its id, type and the patents it names."""

    event_id: str
    event_type: str
    topic: str
    subject: str | None
    key: str


async def written_events(system: System, service: str, since_id: int = 0) -> list[Written]:
    """The events ``service`` committed to its outbox after outbox row ``since_id``, on
    the topics the platform's services consume (a bank's own topic carries copies for
    the bank alone)."""
    rows = await query(
        system,
        service,
        "SELECT event_id::text, event_type, topic, subject, partition_key FROM outbox "
        "WHERE id > $1 AND topic = ANY($2) ORDER BY id",
        since_id,
        list(topics.PUBLIC_TOPICS),
    )
    return [Written(r[0], r[1], r[2], r[3], r[4]) for r in rows]


async def outbox_mark(system: System, service: str) -> int:
    rows = await query(system, service, "SELECT coalesce(max(id), 0) FROM outbox")
    return int(rows[0][0])


# Where each consumer the scenarios watch keeps what it took: (service, query of the
# ids among $1 that it has).
TAKEN = {
    # listing's history: every event naming a patent
    "listing timeline": (
        "listing",
        "SELECT DISTINCT event_id FROM patent_timeline WHERE event_id = ANY($1)",
    ),
    # webhooks' intake of the events it delivers to connected platforms
    "webhooks intake": (
        "webhooks",
        "SELECT event_id FROM outbound_events WHERE event_id = ANY($1)",
    ),
    "license declarations": (
        "license",
        "SELECT declaration_id FROM declaration_views WHERE declaration_id = ANY($1)",
    ),
    "pledge declarations": (
        "pledge",
        "SELECT declaration_id FROM declaration_views WHERE declaration_id = ANY($1)",
    ),
    "listing encumbrances": (
        "listing",
        "SELECT reference_id FROM encumbrances WHERE kind = 'pledge' AND reference_id = ANY($1)",
    ),
}


async def taken(system: System, consumer: str, ids: list[str]) -> set[str]:
    """Which of ``ids`` (event, declaration or pledge ids) ``consumer`` of TAKEN has."""
    service, sql = TAKEN[consumer]
    return {r[0] for r in await query(system, service, sql, ids)}


def redelivered(receivers: Iterable[Receiver]) -> int:
    """Extra copies of one webhook-id that a receiver accepted (it drops them by id)."""
    extra = 0
    for receiver in receivers:
        ids = [r.webhook_id for r in receiver.received]
        extra += len(ids) - len(set(ids))
    return extra


def duplicate_webhooks(receivers: Iterable[Receiver]) -> int:
    """Events a receiver accepted under more than one webhook-id: it cannot tell the
    copies apart, so each extra one is a second effect."""
    extra = 0
    for receiver in receivers:
        ids: dict[str, set[str]] = {}
        for r in receiver.received:
            ids.setdefault(str(r.event.get("id")), set()).add(r.webhook_id)
        extra += sum(len(webhook_ids) - 1 for webhook_ids in ids.values())
    return extra
