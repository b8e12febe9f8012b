"""The operator's restatement of the catalogue: every patent's current facts published
once on the internal restatements topic, never to connected platforms."""

from __future__ import annotations

from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import PatentRestated
from tests.listing.test_declarations import register
from tests.support.stack import OPERATOR_SCOPES, eventually, org, read_topic
from webhooks.consumers import DELIVERED_TOPICS


async def test_the_catalogue_is_restated_once_with_current_owners_on_an_internal_topic(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "四川大学")
    numbers = [await register(listing_client, listing_settings, owner) for _ in range(3)]
    operator = org(OrgType.OPERATOR, "平台运营方").headers(listing_settings, OPERATOR_SCOPES)
    refused = await listing_client.post(
        "/v1/patents/restatements", headers=owner.headers(listing_settings)
    )
    assert refused.status_code == 403

    accepted = await listing_client.post("/v1/patents/restatements", headers=operator)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]

    async def done() -> dict[str, Any] | None:
        job = await listing_client.get(f"/v1/patents/restatements/{job_id}", headers=operator)
        body: dict[str, Any] = job.json()
        return body if body["state"] == "done" else None

    job = await eventually(done)
    assert job["restated"] >= len(numbers)

    def restated(events: list[Any]) -> list[Any]:
        return [
            e
            for e in events
            if e.type == PatentRestated.event_type
            and e.data["job_id"] == job_id
            and e.subject in numbers
        ]

    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING_RESTATEMENTS,
        until=lambda es: len(restated(es)) >= len(numbers),
    )
    mine = restated(events)
    assert sorted(e.subject for e in mine) == sorted(numbers)
    for event in mine:
        assert event.data["patentees"][0]["uscc"] == owner.uscc
        assert event.data["legal_status"] == "valid"
        assert event.data["as_of"]
    # Connected platforms never receive restatements.
    assert topics.LISTING_RESTATEMENTS not in DELIVERED_TOPICS
    assert topics.LISTING_RESTATEMENTS not in topics.PUBLIC_TOPICS
