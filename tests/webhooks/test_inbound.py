"""Inbound publishing: a platform's signed webhook becomes a listing in listing (through
its real HTTP API) and reaches every other platform, never its source."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from standardwebhooks import Webhook

from devstack.ports import free_port
from listing.config import ListingSettings
from listing.main import create_app as create_listing
from shared.db.engine import asyncpg_dsn
from tests.support.stack import Stack, eventually, running_app
from tests.webhooks.conftest import delivery_settings
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import Connected, connect, deliveries_to, disconnect, settled
from webhooks.config import WebhooksSettings
from webhooks.main import create_app


@pytest.fixture
def listing_settings(stack: Stack) -> ListingSettings:
    return stack.settings(ListingSettings)


@pytest.fixture
async def listing_url(listing_settings: ListingSettings) -> AsyncIterator[str]:
    """The listing service on a real port, as webhooks reaches it in a deployment."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_listing(listing_settings),
            host="127.0.0.1",
            port=port,
            log_config=None,
            access_log=False,
        )
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started, timeout=60)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def webhooks(
    stack: Stack, listing_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, WebhooksSettings]]:
    settings = delivery_settings(stack, listing_base_url=listing_url)
    async with running_app(create_app(settings)) as client:
        yield client, settings


@pytest.fixture
async def platforms(
    webhooks: tuple[httpx.AsyncClient, WebhooksSettings],
) -> AsyncIterator[list[tuple[Receiver, Connected]]]:
    client, settings = webhooks
    out: list[tuple[Receiver, Connected]] = []
    try:
        for name in ("source", "second", "third"):
            receiver = Receiver(name)
            await receiver.start()
            out.append((receiver, await connect(client, settings, receiver)))
        yield out
    finally:
        for receiver, connected in out:
            await disconnect(client, connected)
            await receiver.stop()


def signed(
    secret: str,
    payload: dict[str, Any],
    *,
    webhook_id: str | None = None,
    at: datetime | None = None,
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload, ensure_ascii=False)
    webhook_id = webhook_id or f"msg_{uuid.uuid4().hex}"
    at = at or datetime.now(UTC)
    signature = Webhook(secret).sign(webhook_id, at, body)
    return body.encode(), {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }


def demand(reference: str, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "demand",
        "listing": {
            "external_reference": reference,
            "title": "锂电池热管理技术需求",
            "description": "寻求动力电池低温快充热管理方案",
            "ipc_codes": ["H01M 10/615"],
            "region_code": "440300",
            "deadline": "2099-06-30",
            "contact": "张工 0755-88888888",
            **overrides,
        },
    }


async def test_an_inbound_listing_reaches_every_other_platform_once_and_never_its_source(
    webhooks: tuple[httpx.AsyncClient, WebhooksSettings],
    platforms: list[tuple[Receiver, Connected]],
    listing_settings: ListingSettings,
) -> None:
    client, _ = webhooks
    (source, src), (second, second_connected), (third, third_connected) = platforms
    secret = src.platform["inbound_secret"]
    url = f"/v1/inbound/{src.platform['id']}"
    reference = f"SZTEX-{uuid.uuid4().hex[:8]}"
    body, headers = signed(secret, demand(reference))
    accepted = await client.post(url, content=body, headers=headers)
    assert accepted.status_code == 201, accepted.text
    demand_id = accepted.json()["listing_id"]

    # The same webhook again is refused; the same listing under a new webhook-id is not
    # published a second time.
    duplicate = await client.post(url, content=body, headers=headers)
    assert duplicate.status_code == 409
    assert duplicate.json()["type"].endswith("/webhook-duplicate")
    body2, headers2 = signed(secret, demand(reference))
    resent = await client.post(url, content=body2, headers=headers2)
    assert resent.status_code == 201
    assert resent.json()["listing_id"] == demand_id

    # Listing staged one event about the demand, before it answered either webhook.
    assert await events_about(listing_settings, demand_id) == 1
    [published] = await eventually(lambda: second.events({demand_id}), timeout=90)
    event_id = published["id"]
    # Each other platform's delivery of it is done, so each has all it will get; the
    # source's endpoint had none queued (in the transaction that queued theirs).
    for connected in (second_connected, third_connected):
        done = await settled(client, connected, [event_id])
        assert done[event_id]["status"] == "succeeded"
    assert await deliveries_to(client, src, [event_id]) == {}
    for receiver in (second, third):
        [event] = receiver.events({demand_id})
        assert event["type"] == "cn.ipmarket.listing.demand.published.v1"
        assert event["originplatform"] == src.org.org_id
        assert event["data"]["external_reference"] == reference
    assert source.events({demand_id}) == []


async def events_about(settings: ListingSettings, subject: str) -> int:
    """How many events about ``subject`` the listing service staged (its outbox)."""
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        count: int = await conn.fetchval("SELECT count(*) FROM outbox WHERE subject = $1", subject)
        return count
    finally:
        await conn.close()


async def test_inbound_webhooks_are_verified_and_validated_like_any_listing(
    webhooks: tuple[httpx.AsyncClient, WebhooksSettings],
    platforms: list[tuple[Receiver, Connected]],
) -> None:
    client, _ = webhooks
    _, src = platforms[0]
    secret = src.platform["inbound_secret"]
    url = f"/v1/inbound/{src.platform['id']}"

    body, headers = signed(secret, demand("REF-1"))
    tampered = await client.post(
        url, content=body.replace("锂".encode(), "钠".encode()), headers=headers
    )
    assert tampered.status_code == 401
    assert tampered.json()["type"].endswith("/webhook-signature-rejected")

    stale_body, stale = signed(
        secret, demand("REF-2"), at=datetime.now(UTC) - timedelta(minutes=10)
    )
    old = await client.post(url, content=stale_body, headers=stale)
    assert old.status_code == 401
    assert "replay" in old.json()["detail"]

    other_secret = platforms[1][1].platform["inbound_secret"]
    forged_body, forged = signed(other_secret, demand("REF-3"))
    assert (await client.post(url, content=forged_body, headers=forged)).status_code == 401

    past_body, past = signed(secret, demand("REF-4", deadline="2020-01-01"))
    refused = await client.post(url, content=past_body, headers=past)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/demand-deadline-passed")
    # Refused by listing: the webhook-id is not used up, a corrected retry may reuse it.
    fixed_body, fixed = signed(secret, demand("REF-4"), webhook_id=past["webhook-id"])
    assert (await client.post(url, content=fixed_body, headers=fixed)).status_code == 201

    junk_body, junk = signed(secret, {"kind": "poem"})
    wrong = await client.post(url, content=junk_body, headers=junk)
    assert wrong.status_code == 422
    assert wrong.json()["type"].endswith("/webhook-inbound-payload-refused")
    unknown = await client.post(f"/v1/inbound/{uuid.uuid4()}", content=body, headers=headers)
    assert unknown.status_code == 404


async def test_listing_down_is_a_503_the_platform_can_retry(stack: Stack) -> None:
    settings = delivery_settings(stack, listing_base_url=f"http://127.0.0.1:{free_port()}")
    async with running_app(create_app(settings)) as client:
        receiver = Receiver("retry")
        connected = await connect(client, settings, receiver)
        secret = connected.platform["inbound_secret"]
        body, headers = signed(secret, demand("REF-DOWN"))
        url = f"/v1/inbound/{connected.platform['id']}"
        down = await client.post(url, content=body, headers=headers)
        assert down.status_code == 503
        assert down.headers["content-type"] == "application/problem+json"
        assert down.json()["type"].endswith("/webhook-listing-unavailable")
        # Nothing was kept: the same webhook-id may be sent again.
        again = await client.post(url, content=body, headers=headers)
        assert again.status_code == 503
        await disconnect(client, connected)
