"""Every public listing event joins the delivery queue, on the real stack."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from shared.auth import OrgType
from shared.events import topics
from shared.events.envelope import CloudEvent
from tests.support.stack import OPERATOR_SCOPES, application_number, eventually, org
from webhooks.config import WebhooksSettings


async def publish(settings: WebhooksSettings, *events: CloudEvent) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(
                topics.LISTING,
                value=event.kafka_value(),
                key=(event.partitionkey or "").encode(),
                headers=event.kafka_headers(),
            )
    finally:
        await producer.stop()


def listing_event(event_type: str, number: str, **data: Any) -> CloudEvent:
    return CloudEvent(
        source="/ipmarket/listing",
        type=event_type,
        subject=number,
        partitionkey=number,
        actor="org-tsinghua",
        data={"application_number": number, **data},
    )


async def test_listing_events_are_queued_once_in_structured_form(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    operator = org(OrgType.OPERATOR, "平台运营方")
    headers = operator.headers(webhooks_settings, scopes=OPERATOR_SCOPES)
    number = application_number()
    declared = listing_event(
        "cn.ipmarket.listing.declaration.published.v1", number, declaration_id=str(uuid.uuid4())
    )
    status = listing_event(
        "cn.ipmarket.listing.patent.status_changed.v1", number, legal_status="valid"
    )
    unknown = listing_event("cn.ipmarket.listing.something.new.v9", number, note="新类型")
    await publish(webhooks_settings, declared, declared, status, unknown)

    async def queued() -> list[dict[str, Any]]:
        response = await webhooks_client.get(
            "/v1/outbound-events", params={"subject": number}, headers=headers
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items if len(items) >= 3 else []

    items = await eventually(queued)
    assert [i["type"] for i in items] == [declared.type, status.type, unknown.type]
    first = items[0]
    assert first["id"] == declared.id
    assert first["specversion"] == "1.0"
    assert first["source"] == "/ipmarket/listing"
    assert first["actor"] == "org-tsinghua"
    assert first["data"]["declaration_id"] == declared.data["declaration_id"]

    one = await webhooks_client.get(f"/v1/outbound-events/{declared.id}", headers=headers)
    assert one.status_code == 200
    assert one.json()["type"] == declared.type
    filtered = await webhooks_client.get(
        "/v1/outbound-events", params={"subject": number, "type": status.type}, headers=headers
    )
    assert [i["id"] for i in filtered.json()["items"]] == [status.id]


async def test_access_and_health(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    enterprise = org(OrgType.ENTERPRISE, "某企业")
    exchange = org(OrgType.EXCHANGE, "广东省知识产权交易中心")
    assert (await webhooks_client.get("/v1/outbound-events")).status_code == 401
    assert (
        await webhooks_client.get(
            "/v1/outbound-events", headers=enterprise.headers(webhooks_settings)
        )
    ).status_code == 403
    assert (
        await webhooks_client.get(
            "/v1/outbound-events", headers=exchange.headers(webhooks_settings)
        )
    ).status_code == 200
    missing = await webhooks_client.get(
        "/v1/outbound-events/nope", headers=exchange.headers(webhooks_settings)
    )
    assert missing.status_code == 404
    ready = await webhooks_client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}
