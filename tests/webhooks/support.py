"""Connecting test platforms and publishing events for the webhooks tests."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from shared.auth import OrgType
from shared.events.envelope import CloudEvent
from tests.support.stack import OPERATOR_SCOPES, Org, consumed, eventually, org
from tests.webhooks.receiver import Receiver
from webhooks.config import WebhooksSettings

OPERATOR = org(OrgType.OPERATOR, "平台运营方")


def operator_headers(settings: WebhooksSettings) -> dict[str, str]:
    return OPERATOR.headers(settings, scopes=OPERATOR_SCOPES)


@dataclass
class Connected:
    platform: dict[str, Any]
    endpoint: dict[str, Any]
    org: Org
    headers: dict[str, str]


async def connect(
    client: httpx.AsyncClient,
    settings: WebhooksSettings,
    receiver: Receiver,
    **endpoint: Any,
) -> Connected:
    """Register a platform for the receiver and subscribe its endpoint."""
    exchange = Org(
        org_id=f"exchange-{uuid.uuid4().hex[:10]}",
        name=f"{receiver.name}技术交易所",
        org_type=OrgType.EXCHANGE,
        uscc=None,
    )
    platform = await client.post(
        "/v1/platforms",
        json={"org_id": exchange.org_id, "name": exchange.name, "region_code": "440300"},
        headers=operator_headers(settings),
    )
    assert platform.status_code == 201, platform.text
    headers = exchange.headers(settings)
    created = await client.post(
        f"/v1/platforms/{platform.json()['id']}/endpoints",
        json={"url": receiver.url, **endpoint},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    receiver.secrets.append(created.json()["secret"])
    return Connected(platform.json(), created.json(), exchange, headers)


async def disconnect(client: httpx.AsyncClient, connected: Connected) -> None:
    response = await client.patch(
        f"/v1/endpoints/{connected.endpoint['id']}",
        json={"status": "disabled"},
        headers=connected.headers,
    )
    assert response.status_code == 200, response.text


def event(event_type: str, number: str, *, origin: str | None = None, **data: Any) -> CloudEvent:
    return CloudEvent(
        source="/ipmarket/listing",
        type=event_type,
        subject=number,
        partitionkey=number,
        originplatform=origin,
        data={"application_number": number, **data},
    )


async def publish(settings: WebhooksSettings, topic: str, *events: CloudEvent) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        for e in events:
            await producer.send_and_wait(
                topic,
                value=e.kafka_value(),
                key=(e.partitionkey or "").encode(),
                headers=e.kafka_headers(),
            )
    finally:
        await producer.stop()


async def deliveries_to(
    client: httpx.AsyncClient, connected: Connected, event_ids: Collection[str]
) -> dict[str, dict[str, Any]]:
    """The endpoint's deliveries of these events, by event id (every page read)."""
    found: dict[str, dict[str, Any]] = {}
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        response = await client.get(
            f"/v1/endpoints/{connected.endpoint['id']}/deliveries",
            params=params,
            headers=connected.headers,
        )
        assert response.status_code == 200, response.text
        page = response.json()
        found |= {d["event_id"]: d for d in page["items"] if d["event_id"] in event_ids}
        cursor = page["next_cursor"]
        if cursor is None:
            return found


async def settled(
    client: httpx.AsyncClient, connected: Connected, event_ids: Collection[str]
) -> dict[str, dict[str, Any]]:
    """Wait until the endpoint has a delivery of each of these events and none of them is
    pending any more: nothing about them will be sent again (short of a replay), so what
    the receiver has then is all it gets, with no sleeping to find out."""

    async def done() -> dict[str, dict[str, Any]] | None:
        found = await deliveries_to(client, connected, event_ids)
        if len(found) < len(set(event_ids)):
            return None
        return found if all(d["status"] != "pending" for d in found.values()) else None

    result: dict[str, dict[str, Any]] = await eventually(done, timeout=90)
    return result


async def queued(settings: WebhooksSettings, *events: CloudEvent) -> None:
    """Wait until the service has taken each event and queued its deliveries (in the
    transaction that records it in the inbox): the deliveries that exist then are all
    there will ever be."""
    for e in events:
        await consumed(settings, e.id, timeout=90)
