"""Managing endpoints through the API: what a rate limit may be, what is stored, how an
endpoint that is not being served shows it, and listing endpoints a page at a time."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
import pytest
from alembic import command
from fastapi import FastAPI
from prometheus_client import REGISTRY

from shared.db.engine import asyncpg_dsn
from shared.db.migrations import alembic_config
from shared.events import topics
from tests.support.stack import Stack, application_number, eventually, running_app
from tests.webhooks.conftest import delivery_settings
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import connect, disconnect, event, operator_headers, publish
from webhooks.config import WebhooksSettings
from webhooks.main import MIGRATIONS, create_app
from webhooks.workers import Dispatcher

PROBLEM = "application/problem+json"
# The revision before rate limits were bounded in the database.
BEFORE_RATE_BOUNDS = "15a4ad279efa"


def assert_rate_refused(response: httpx.Response, value: object) -> None:
    assert response.status_code == 422, (value, response.text)
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"].endswith("/validation-error")
    assert "rate_limit_per_s" in problem["detail"], problem
    assert [e["field"] for e in problem["errors"]] == ["body.rate_limit_per_s"], problem


OUT_OF_RANGE: list[Any] = [5e-324, 0, -1, 0.05, 0.0999, 1000.001, 1e308, "5", True]


async def test_a_rate_limit_outside_its_range_is_refused_naming_the_field(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    connected = await connect(webhooks_client, webhooks_settings, Receiver("bounds"))
    platform_id, endpoint_id = connected.platform["id"], connected.endpoint["id"]
    url = f"http://127.0.0.1:9/hooks/{uuid.uuid4().hex[:6]}"
    try:
        for value in OUT_OF_RANGE:
            created = await webhooks_client.post(
                f"/v1/platforms/{platform_id}/endpoints",
                json={"url": url, "rate_limit_per_s": value},
                headers=connected.headers,
            )
            assert_rate_refused(created, value)
            patched = await webhooks_client.patch(
                f"/v1/endpoints/{endpoint_id}",
                json={"rate_limit_per_s": value},
                headers=connected.headers,
            )
            assert_rate_refused(patched, value)
        # JSON has no NaN or Infinity, but a lenient parser would take them.
        for literal in ("NaN", "Infinity", "-Infinity", "1e400"):
            raw = await webhooks_client.patch(
                f"/v1/endpoints/{endpoint_id}",
                content=f'{{"rate_limit_per_s": {literal}}}',
                headers={**connected.headers, "content-type": "application/json"},
            )
            assert_rate_refused(raw, literal)

        # The bounds themselves, an integer, and null (the service's default) are taken.
        for value in (0.1, 7, 1000, None):
            patched = await webhooks_client.patch(
                f"/v1/endpoints/{endpoint_id}",
                json={"rate_limit_per_s": value},
                headers=connected.headers,
            )
            assert patched.status_code == 200, patched.text
            assert patched.json()["rate_limit_per_s"] == value
        unchanged = await webhooks_client.get(
            f"/v1/endpoints/{endpoint_id}", headers=connected.headers
        )
        assert unchanged.json()["rate_limit_per_s"] is None
    finally:
        await disconnect(webhooks_client, connected)


@pytest.fixture
async def old_database(stack: Stack) -> WebhooksSettings:
    """A webhooks database migrated only up to the revision before the rate bounds."""
    settings = delivery_settings(stack)
    config = alembic_config(MIGRATIONS, settings.database_url)
    await asyncio.to_thread(command.upgrade, config, BEFORE_RATE_BOUNDS)
    return settings


async def test_stored_endpoints_are_migrated_into_the_rate_bounds_with_their_last_attempt(
    old_database: WebhooksSettings,
) -> None:
    stored = {
        "denormal": 5e-324,
        "zero": 0.0,
        "negative": -3.0,
        "slow": 0.01,
        "fast": 5000.0,
        "nan": float("nan"),
        "infinite": float("inf"),
        "fine": 5.0,
        "default": None,
    }
    conn = await asyncpg.connect(asyncpg_dsn(old_database.database_url))
    try:
        for name, rate in stored.items():
            await conn.execute(
                "INSERT INTO endpoints (id, platform_id, url, event_types, filters,"
                " rate_limit_per_s, status, consecutive_failures, cooldown_s, created_at)"
                " VALUES ($1, 'p', 'https://example.com/', '[\"*\"]', '{}', $2, 'active',"
                " 0, 0, now())",
                name,
                rate,
            )
        for minutes in (30, 20):
            await conn.execute(
                "INSERT INTO delivery_attempts (delivery_id, endpoint_id, attempted_at,"
                " latency_ms) VALUES ('d', 'fine', now() - make_interval(mins => $1), 1)",
                minutes,
            )
        config = alembic_config(MIGRATIONS, old_database.database_url)
        await asyncio.to_thread(command.upgrade, config, "head")
        rows = await conn.fetch("SELECT id, rate_limit_per_s FROM endpoints")
        assert {r["id"]: r["rate_limit_per_s"] for r in rows} == {
            "denormal": 0.1,
            "zero": 0.1,
            "negative": 0.1,
            "slow": 0.1,
            "fast": 1000.0,
            "nan": None,
            "infinite": 1000.0,
            "fine": 5.0,
            "default": None,
        }
        # Endpoints that were attempted before remember their last attempt.
        last = await conn.fetch(
            "SELECT id, now() - last_attempt_at AS ago FROM endpoints"
            " WHERE last_attempt_at IS NOT NULL"
        )
        assert [(r["id"], round(r["ago"].total_seconds() / 60)) for r in last] == [("fine", 20)]
        # And no statement can store a rate out of range from now on.
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute("UPDATE endpoints SET rate_limit_per_s = 5e-324 WHERE id = 'fine'")
    finally:
        await conn.close()


# -- stalled endpoints ----------------------------------------------------------------------


@dataclass
class Instance:
    app: FastAPI
    client: httpx.AsyncClient
    settings: WebhooksSettings

    @property
    def dispatcher(self) -> Dispatcher:
        dispatcher = self.app.state.runtime.workers[Dispatcher.NAME]
        assert isinstance(dispatcher, Dispatcher)
        return dispatcher


@pytest.fixture
async def instance(stack: Stack) -> AsyncIterator[Instance]:
    """A webhooks instance on a database of its own (so its metrics are about this test)."""
    settings = delivery_settings(stack)
    app = create_app(settings)
    async with running_app(app) as client:
        yield Instance(app, client, settings)


def stall_metrics() -> tuple[float | None, float | None]:
    return (
        REGISTRY.get_sample_value("ipmarket_webhook_endpoints_stalled"),
        REGISTRY.get_sample_value("ipmarket_webhook_longest_wait_seconds"),
    )


async def test_an_endpoint_with_a_delivery_ready_and_no_attempt_for_too_long_is_stalled(
    instance: Instance,
) -> None:
    client, settings = instance.client, instance.settings
    receiver = Receiver("stalled")
    await receiver.start()
    own_type = f"cn.ipmarket.listing.stall{uuid.uuid4().hex[:8]}.v1"
    connected = await connect(client, settings, receiver, event_types=[own_type])
    endpoint_id = connected.endpoint["id"]
    path = f"/v1/endpoints/{endpoint_id}"
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))

    async def sql(statement: str, *args: object) -> None:
        await conn.execute(statement, *args)

    async def shown() -> dict[str, Any]:
        response = await client.get(path, headers=connected.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def ago(body: dict[str, Any], field: str) -> float:
        return (datetime.now(UTC) - datetime.fromisoformat(body[field])).total_seconds()

    try:
        # A worker of another instance holds the endpoint and never gets anywhere.
        await sql(
            "UPDATE endpoints SET lease_owner = 'hung-instance',"
            " lease_until = now() + interval '1 hour' WHERE id = $1",
            endpoint_id,
        )
        number = application_number()
        first, second = event(own_type, number, step=1), event(own_type, number, step=2)
        await publish(settings, topics.LISTING, first, second)

        async def queued() -> list[dict[str, Any]]:
            page = await client.get(f"{path}/deliveries", headers=connected.headers)
            items: list[dict[str, Any]] = page.json()["items"]
            return items if len(items) == 2 else []

        deliveries = await eventually(queued, timeout=90)
        assert [d["attempts"] for d in deliveries] == [0, 0]
        head = next(d["id"] for d in deliveries if d["event_id"] == first.id)

        # Due just now: waiting, not for long enough to be stalled.
        body = await shown()
        assert body["stalled"] is False
        assert body["last_attempt_at"] is None
        assert 0 <= ago(body, "waiting_since") < settings.stall_after_s
        assert await instance.dispatcher.check_stalls() == []
        assert stall_metrics()[0] == 0

        # Due for ten minutes and never tried: stalled, and the metrics say so.
        await sql(
            "UPDATE deliveries SET next_attempt_at = now() - interval '10 minutes'"
            " WHERE endpoint_id = $1",
            endpoint_id,
        )
        body = await shown()
        assert body["stalled"] is True
        assert body["status"] == "active"
        assert 599 <= ago(body, "waiting_since") < 660
        assert await instance.dispatcher.check_stalls() == [endpoint_id]
        stalled, longest = stall_metrics()
        assert stalled == 1
        assert longest is not None
        assert 599 <= longest < 660

        # An attempt a minute ago (the endpoint is working through its backlog): not stalled.
        await sql(
            "UPDATE endpoints SET last_attempt_at = now() - interval '1 minute' WHERE id = $1",
            endpoint_id,
        )
        body = await shown()
        assert body["stalled"] is False
        assert 59 <= ago(body, "waiting_since") < 120

        # Paused by the circuit breaker until later: nothing is ready, so nothing waits.
        await sql(
            "UPDATE endpoints SET status = 'paused', last_attempt_at = NULL,"
            " paused_until = now() + interval '1 hour' WHERE id = $1",
            endpoint_id,
        )
        body = await shown()
        assert (body["stalled"], body["waiting_since"]) == (False, None)
        # ... but a probe due ten minutes ago and never sent is a stall.
        await sql(
            "UPDATE endpoints SET paused_until = now() - interval '10 minutes' WHERE id = $1",
            endpoint_id,
        )
        assert (await shown())["stalled"] is True
        await sql(
            "UPDATE endpoints SET status = 'active', paused_until = NULL WHERE id = $1",
            endpoint_id,
        )

        # The earlier event about the patent is to be retried in an hour: the later one
        # waits its turn, however long it has been due. That is order, not a stall.
        await sql(
            "UPDATE deliveries SET next_attempt_at = now() + interval '1 hour' WHERE id = $1",
            head,
        )
        body = await shown()
        assert (body["stalled"], body["waiting_since"]) == (False, None)
        assert await instance.dispatcher.check_stalls() == []
        assert stall_metrics() == (0, 0)

        # Disabled endpoints are never stalled: they are not meant to be sent to.
        await sql(
            "UPDATE deliveries SET next_attempt_at = now() - interval '10 minutes' WHERE id = $1",
            head,
        )
        assert (await shown())["stalled"] is True
        await sql("UPDATE endpoints SET status = 'disabled' WHERE id = $1", endpoint_id)
        assert (await shown())["stalled"] is False
        await sql("UPDATE endpoints SET status = 'active' WHERE id = $1", endpoint_id)

        # The hung worker's lease ends: the endpoint is served, and not stalled any more.
        await sql(
            "UPDATE endpoints SET lease_owner = NULL, lease_until = NULL WHERE id = $1",
            endpoint_id,
        )
        instance.dispatcher.wake()
        await eventually(lambda: len(receiver.events({number})) == 2, timeout=90)

        async def settled() -> dict[str, Any] | None:
            body = await shown()
            return body if body["waiting_since"] is None else None

        body = await eventually(settled)
        assert body["stalled"] is False
        assert 0 <= ago(body, "last_attempt_at") < 60
        assert await instance.dispatcher.check_stalls() == []
    finally:
        await conn.close()
        await disconnect(client, connected)
        await receiver.stop()


# -- listing endpoints ----------------------------------------------------------------------


async def all_pages(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[list[dict[str, Any]]]:
    """Every page of GET /v1/endpoints, following next_cursor."""
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/v1/endpoints", params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 20, "the cursor does not move on"


async def test_endpoints_are_listed_a_page_at_a_time_with_their_filters(
    instance: Instance,
) -> None:
    client, settings = instance.client, instance.settings
    # Subscribed to a type nobody publishes: events of other tests on this instance would
    # fail at these unreachable URLs, open the circuits and pause the endpoints.
    quiet = ["cn.ipmarket.test.paging.never.v1"]
    first = await connect(client, settings, Receiver("paged-a"), event_types=quiet)
    second = await connect(client, settings, Receiver("paged-b"), event_types=quiet)
    own = [first.endpoint["id"]]
    for i in range(4):
        added = await client.post(
            f"/v1/platforms/{first.platform['id']}/endpoints",
            json={"url": f"http://127.0.0.1:9/hooks/{i}", "event_types": quiet},
            headers=first.headers,
        )
        assert added.status_code == 201, added.text
        own.append(added.json()["id"])
    everyone = [own[0], second.endpoint["id"], *own[1:]]
    await disconnect(client, second)
    operator = operator_headers(settings)

    pages = await all_pages(client, operator, limit=2)
    assert [len(p) for p in pages] == [2, 2, 2]
    assert [e["id"] for p in pages for e in p] == everyone  # oldest first, each once
    assert all("stalled" in e for p in pages for e in p)
    default = await client.get("/v1/endpoints", headers=operator)
    assert [e["id"] for e in default.json()["items"]] == everyone

    by_platform = await all_pages(client, operator, limit=2, platform_id=first.platform["id"])
    assert [e["id"] for p in by_platform for e in p] == own
    disabled = await all_pages(client, operator, limit=2, status="disabled")
    assert [e["id"] for p in disabled for e in p] == [second.endpoint["id"]]
    active = await all_pages(client, operator, limit=4, status="active")
    assert [e["id"] for p in active for e in p] == own
    # A platform sees its own endpoints only.
    mine = await all_pages(client, first.headers, limit=3)
    assert [e["id"] for p in mine for e in p] == own

    for params in ({"limit": 0}, {"limit": 201}, {"status": "broken"}):
        refused = await client.get("/v1/endpoints", params=params, headers=operator)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == PROBLEM
    await disconnect(client, first)


async def test_platforms_are_listed_a_page_at_a_time(instance: Instance) -> None:
    client, settings = instance.client, instance.settings
    quiet = ["cn.ipmarket.test.paging.never.v1"]
    connected = [
        await connect(client, settings, Receiver(f"platforms-{i}"), event_types=quiet)
        for i in range(3)
    ]
    ours = [c.platform["id"] for c in connected]
    operator = operator_headers(settings)
    listed: list[str] = []
    cursor: str | None = None
    for _ in range(100):
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = await client.get("/v1/platforms", params=query, headers=operator)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"items", "next_cursor"}
        assert len(body["items"]) <= 2
        listed += [p["id"] for p in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(listed) == len(set(listed))  # each once
    assert [p for p in listed if p in ours] == ours  # oldest first
    own = await client.get("/v1/platforms", headers=connected[1].headers)
    assert [p["id"] for p in own.json()["items"]] == [ours[1]]
    refused = await client.get(
        "/v1/platforms", params={"cursor": crafted({"t": 5})}, headers=operator
    )
    assert refused.status_code == 422, refused.text
    for c in connected:
        await disconnect(client, c)


def crafted(position: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).rstrip(b"=").decode()


CRAFTED_CURSORS = [
    "not a cursor!",
    crafted([1, 2]),
    crafted({}),
    crafted({"id": "x"}),
    crafted({"t": "yesterday", "id": "x"}),
    crafted({"t": "2026-12-01T08:00:00", "id": "x"}),  # no offset
    crafted({"t": "2026-12-01T08:00:00+00:00", "id": ["x"]}),
    crafted({"t": "2026-12-01T08:00:00+00:00", "id": "x" * 300}),
    crafted({"t": None, "id": None}),
    crafted({"t": "2026-12-01T08:00:00+00:00", "id": "x", "extra": 1}),
    crafted({"t": "9999-12-31T23:59:59-23:59", "id": "x"}),  # after year 9999 in UTC
    crafted({"t": "0001-01-01T00:00:00+23:59", "id": "x"}),  # before year 1 in UTC
    crafted({"t": 1e300, "id": "x"}),
]


async def test_a_cursor_this_api_did_not_issue_is_a_422_on_every_list(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    connected = await connect(webhooks_client, webhooks_settings, Receiver("cursors"))
    operator = operator_headers(webhooks_settings)
    lists = [
        "/v1/endpoints",
        f"/v1/endpoints/{connected.endpoint['id']}/deliveries",
        "/v1/outbound-events",
    ]
    try:
        for path in lists:
            for cursor in CRAFTED_CURSORS:
                refused = await webhooks_client.get(
                    path, params={"cursor": cursor}, headers=operator
                )
                assert refused.status_code == 422, (path, cursor, refused.text)
                assert refused.headers["content-type"] == PROBLEM
                assert refused.json()["type"].endswith("/invalid-cursor"), refused.text
            # A cursor the list issued goes on from where the page ended.
            page = await webhooks_client.get(path, params={"limit": 1}, headers=operator)
            assert page.status_code == 200, page.text
            if page.json()["next_cursor"]:
                more = await webhooks_client.get(
                    path, params={"cursor": page.json()["next_cursor"]}, headers=operator
                )
                assert more.status_code == 200, more.text
    finally:
        await disconnect(webhooks_client, connected)


async def test_a_replay_range_outside_the_calendar_is_a_422(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    connected = await connect(webhooks_client, webhooks_settings, Receiver("replay-range"))
    path = f"/v1/endpoints/{connected.endpoint['id']}/replay"
    try:
        for field, value in (
            ("since", "9999-12-31T23:59:59-23:59"),  # after year 9999 in UTC
            ("until", "0001-01-01T00:00:00+23:59"),  # before year 1 in UTC
        ):
            refused = await webhooks_client.post(
                path, json={field: value}, headers=connected.headers
            )
            assert refused.status_code == 422, refused.text
            assert refused.headers["content-type"] == PROBLEM
            assert [e["field"] for e in refused.json()["errors"]] == [f"body.{field}"]
        fine = await webhooks_client.post(
            path, json={"since": "2026-01-01T08:00:00+08:00"}, headers=connected.headers
        )
        assert fine.status_code == 200, fine.text
    finally:
        await disconnect(webhooks_client, connected)
