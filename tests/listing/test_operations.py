"""Health, metrics, trace context and the audit trail, through listing on the real stack."""

from __future__ import annotations

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.observability.tracing import parse_trace_id
from tests.listing.factories import patent_body
from tests.support.stack import eventually, org, read_topic


async def test_health_and_metrics(listing_client: httpx.AsyncClient) -> None:
    live = await listing_client.get("/health/live")
    assert live.json() == {"status": "ok"}
    ready = await listing_client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}
    metrics = await listing_client.get("/metrics")
    assert "ipmarket_http_requests_total" in metrics.text

    # The relay takes its lease in the background after startup: wait for it.
    async def leads() -> bool:
        text = (await listing_client.get("/metrics")).text
        return 'ipmarket_outbox_relay_leader{service="listing"} 1.0' in text

    await eventually(leads)


async def test_the_callers_trace_travels_inside_the_event(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "西安交通大学")
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    incoming = f"00-{trace_id}-00f067aa0ba902b7-01"
    body = patent_body(owner)
    response = await listing_client.post(
        "/v1/patents",
        json=body,
        headers={**owner.headers(listing_settings), "traceparent": incoming},
    )
    assert response.status_code == 201
    assert parse_trace_id(response.headers["traceparent"]) == trace_id
    number = response.json()["application_number"]
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda evs: any(e.subject == number for e in evs),
    )
    event = next(e for e in events if e.subject == number)
    assert parse_trace_id(event.traceparent) == trace_id
    assert event.actor == owner.org_id  # who acted: the audit trail
    assert event.source == "/ipmarket/listing"
