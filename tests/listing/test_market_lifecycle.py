"""Supply listings and demands that change and end, through listing's API on the real
stack: updates and closes by their publisher, their events in order, the race between an
update and a close, and the requests refused."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from tests.listing.factories import patent_body
from tests.listing.test_market import demand_body, exchange
from tests.support.stack import Org, org, read_topic, real_today

SUPPLY = "cn.ipmarket.listing.supply."
DEMAND = "cn.ipmarket.listing.demand."


async def supply_listing(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, **extra: Any
) -> tuple[str, dict[str, Any]]:
    """A catalogued patent of ``owner`` and its published supply listing."""
    body = patent_body(owner)
    created = await client.post("/v1/patents", json=body, headers=owner.headers(settings))
    assert created.status_code == 201, created.text
    number = created.json()["application_number"]
    listed = await client.post(
        "/v1/supply-listings",
        json={
            "application_number": number,
            "kind": "transfer",
            "title": "固态电解质专利转让",
            "description": "可提供技术指导",
            "asking_price": "800000",
            "contact": "技术转移中心 王老师",
            **extra,
        },
        headers=owner.headers(settings),
    )
    assert listed.status_code == 201, listed.text
    return number, listed.json()


async def test_a_publisher_updates_and_closes_its_supply_listing_and_each_change_is_announced(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    until = (real_today() + timedelta(days=30)).isoformat()
    number, listing = await supply_listing(
        listing_client, listing_settings, owner, valid_until=until
    )
    assert (listing["version"], listing["valid_until"], listing["status"]) == (
        1,
        until,
        "published",
    )
    url = f"/v1/supply-listings/{listing['id']}"
    headers = owner.headers(listing_settings)

    stranger = org(OrgType.UNIVERSITY, "某大学")
    refused = await listing_client.patch(
        url, json={"asking_price": "1"}, headers=stranger.headers(listing_settings)
    )
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/listing-not-publisher")

    yesterday = (real_today() - timedelta(days=1)).isoformat()
    for body, problem, says in [
        ({"valid_until": yesterday}, "/listing-end-date-passed", yesterday),
        ({"valid_until": "2027-13-01"}, "/validation-error", "valid_until"),
        ({"kind": "license"}, "/validation-error", "kind"),
        ({"application_number": number}, "/validation-error", "application_number"),
        ({"contact": None}, "/validation-error", "contact"),
        ({"asking_price": "-5"}, "/validation-error", "asking_price"),
    ]:
        response = await listing_client.patch(url, json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["type"].endswith(problem), (body, response.text)
        assert says in response.text, (body, response.text)
    past = await listing_client.post(
        "/v1/supply-listings",
        json={
            "application_number": number,
            "kind": "license",
            "title": "许可",
            "contact": "王老师",
            "valid_until": yesterday,
        },
        headers=headers,
    )
    assert past.status_code == 422, past.text
    assert past.json()["type"].endswith("/listing-end-date-passed")

    updated = await listing_client.patch(
        url, json={"asking_price": "650000", "description": None}, headers=headers
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["asking_price"] == "650000.00"
    assert updated.json()["description"] is None
    assert updated.json()["title"] == "固态电解质专利转让"
    assert updated.json()["version"] == 2

    closed = await listing_client.post(
        f"{url}/close", json={"note": "已签订转让合同"}, headers=headers
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_reason"] == "withdrawn"
    assert closed.json()["closed_note"] == "已签订转让合同"
    assert closed.json()["version"] == 3

    for again in (
        await listing_client.patch(url, json={"title": "再改"}, headers=headers),
        await listing_client.post(f"{url}/close", json={}, headers=headers),
    ):
        assert again.status_code == 409, again.text
        assert again.json()["type"].endswith("/listing-closed")
        assert again.json()["state"] == "closed"

    def about(events: list[Any]) -> list[Any]:
        return [e for e in events if e.data.get("listing_id") == listing["id"]]

    events = about(
        await read_topic(
            listing_settings.kafka_bootstrap_servers,
            topics.LISTING,
            until=lambda es: any(e.type.endswith("closed.v1") for e in about(es)),
        )
    )
    assert [e.type for e in events] == [
        SUPPLY + "published.v1",
        SUPPLY + "updated.v1",
        SUPPLY + "closed.v1",
    ]
    # One key, so one partition and one ordering key at every platform's endpoint.
    assert {e.partitionkey for e in events} == {number}
    assert [e.data["version"] for e in events] == [1, 2, 3]
    assert events[1].data["asking_price"] == "650000.00"
    assert events[1].data["valid_until"] == until
    assert events[2].data["reason"] == "withdrawn"
    assert events[2].data["ipc_codes"] == listing["ipc_codes"]


async def test_a_demand_changes_within_the_rules_of_posting(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    platform = exchange()
    headers = platform.headers(listing_settings)
    reference = f"SZTEX-{uuid.uuid4().hex[:6]}"
    posted = await listing_client.post(
        "/v1/demands", json=demand_body(external_reference=reference), headers=headers
    )
    assert posted.status_code == 201, posted.text
    url = f"/v1/demands/{posted.json()['id']}"
    tomorrow = (real_today() + timedelta(days=1)).isoformat()
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"budget_min": "3000000"}, "/demand-budget-range-inverted", "budget_max"),
        ({"deadline": "2020-01-01"}, "/demand-deadline-passed", "past"),
        ({"deadline": "2027-02-30"}, "/validation-error", "deadline"),
        ({"title": "国内领先的热管理需求"}, "/listing-promotional-wording", "国内领先"),
        ({"title": None}, "/validation-error", "title"),
        ({"requester": "x"}, "/validation-error", "requester"),
        ({"external_reference": "OTHER"}, "/validation-error", "external_reference"),
        ({}, "/validation-error", "nothing to change"),
    ]
    for body, problem, says in cases:
        response = await listing_client.patch(url, json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith(problem), (body, response.text)
        assert says in response.text, (body, response.text)

    changed = await listing_client.patch(
        url, json={"budget_max": "3000000", "deadline": tomorrow}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["budget_max"], changed.json()["deadline"]) == ("3000000.00", tomorrow)
    assert changed.json()["version"] == 2

    # The platform finds its own demand under its reference; nobody else does.
    mine = await listing_client.get(
        "/v1/demands", params={"external_reference": reference}, headers=headers
    )
    assert [d["id"] for d in mine.json()["items"]] == [posted.json()["id"]]
    other = await listing_client.get(
        "/v1/demands",
        params={"external_reference": reference},
        headers=exchange().headers(listing_settings),
    )
    assert other.json()["items"] == []

    missing = await listing_client.patch(
        f"/v1/demands/{uuid.uuid4()}", json={"title": "x"}, headers=headers
    )
    assert missing.status_code == 404
    too_long = await listing_client.post(f"/v1/demands/{'x' * 40}/close", json={}, headers=headers)
    assert too_long.status_code == 422
    bad_note = await listing_client.post(f"{url}/close", json={"note": " "}, headers=headers)
    assert bad_note.status_code == 422
    assert "note" in bad_note.text

    closed = await listing_client.post(f"{url}/close", json={}, headers=headers)
    assert closed.status_code == 200, closed.text
    demand_id = posted.json()["id"]
    events = [
        e
        for e in await read_topic(
            listing_settings.kafka_bootstrap_servers,
            topics.LISTING,
            until=lambda es: any(
                e.subject == demand_id and e.type.endswith("closed.v1") for e in es
            ),
        )
        if e.subject == demand_id
    ]
    assert [e.type for e in events] == [
        DEMAND + "published.v1",
        DEMAND + "updated.v1",
        DEMAND + "closed.v1",
    ]
    assert {e.partitionkey for e in events} == {demand_id}
    assert {e.originplatform for e in events} == {platform.org_id}
    assert events[1].data["budget_max"] == "3000000.00"
    assert events[2].data["version"] == 3


async def test_an_update_racing_a_close_either_lands_before_it_or_is_refused(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    requester = org(OrgType.ENTERPRISE, "新能储能")
    headers = requester.headers(listing_settings)

    async def post() -> str:
        posted = await listing_client.post("/v1/demands", json=demand_body(), headers=headers)
        assert posted.status_code == 201, posted.text
        return str(posted.json()["id"])

    ids = [await post() for _ in range(6)]
    outcomes = await asyncio.gather(
        *(
            call
            for demand_id in ids
            for call in (
                listing_client.patch(
                    f"/v1/demands/{demand_id}", json={"contact": "李工"}, headers=headers
                ),
                listing_client.post(f"/v1/demands/{demand_id}/close", json={}, headers=headers),
                listing_client.post(f"/v1/demands/{demand_id}/close", json={}, headers=headers),
            )
        )
    )
    for i, demand_id in enumerate(ids):
        update, *closes = outcomes[3 * i : 3 * i + 3]
        # Of two closes, exactly one wins; the update lands before the close or is refused.
        assert sorted(c.status_code for c in closes) == [200, 409], [c.text for c in closes]
        assert update.status_code in (200, 409), update.text
        for refused in [r for r in (update, *closes) if r.status_code == 409]:
            assert refused.json()["type"].endswith("/listing-closed")
        final = await listing_client.get(f"/v1/demands/{demand_id}", headers=headers)
        assert final.json()["status"] == "closed"
        landed = update.status_code == 200
        assert final.json()["version"] == (3 if landed else 2)
        assert final.json()["contact"] == ("李工" if landed else demand_body()["contact"])
