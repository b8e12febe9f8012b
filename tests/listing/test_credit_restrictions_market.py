"""A restricted party's supply listings wait in the operator's review queue: held (no
event, seen only by its publisher and the operator), then approved (published with its
event, as any listing) or rejected with a reason (never published, no event)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from tests.listing.test_credit_restrictions import imposed
from tests.listing.test_declarations import publish, register
from tests.support.stack import OPERATOR_SCOPES, Org, consumed, org, read_topic

SUPPLY = "cn.ipmarket.listing.supply.published.v1"
OPERATOR = org(OrgType.OPERATOR, "平台运营方", with_uscc=False)


async def _restricted_owner_with_patent(
    client: httpx.AsyncClient, settings: ListingSettings
) -> tuple[Org, str, str]:
    owner = org(OrgType.ENTERPRISE, "深圳市受限示例科技有限公司")
    number = await register(client, settings, owner)
    record_id = str(uuid.uuid4())
    await consumed(settings, (await publish(settings, imposed(owner, record_id))).id)
    return owner, number, record_id


async def _list(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, number: str, title: str
) -> dict[str, Any]:
    listed = await client.post(
        "/v1/supply-listings",
        json={
            "application_number": number,
            "kind": "transfer",
            "title": title,
            "contact": "王老师",
        },
        headers=owner.headers(settings),
    )
    assert listed.status_code == 201, listed.text
    body: dict[str, Any] = listed.json()
    return body


async def _queue(client: httpx.AsyncClient, settings: ListingSettings) -> list[str]:
    """Every id in the review queue, page by page (two a page, so the cursor is used)."""
    headers = OPERATOR.headers(settings, OPERATOR_SCOPES)
    ids: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        page = await client.get("/v1/supply-listings/review-queue", params=params, headers=headers)
        assert page.status_code == 200, page.text
        ids += [item["id"] for item in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return ids


async def test_a_restricted_partys_listing_waits_for_review_and_is_published_when_approved(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner, number, record_id = await _restricted_owner_with_patent(listing_client, listing_settings)
    held = await _list(listing_client, listing_settings, owner, number, "储能专利转让")
    assert held["status"] == "pending_review"
    assert held["review_record_id"] == record_id
    second = await _list(listing_client, listing_settings, owner, number, "储能专利许可")
    third = await _list(listing_client, listing_settings, owner, number, "储能专利再许可")

    # Its publisher sees it; anyone else does not, by id or in the list.
    mine = await listing_client.get(
        f"/v1/supply-listings/{held['id']}", headers=owner.headers(listing_settings)
    )
    assert mine.status_code == 200
    assert mine.json()["status"] == "pending_review"
    stranger = org(OrgType.ENTERPRISE, "某某公司").headers(listing_settings)
    hidden = await listing_client.get(f"/v1/supply-listings/{held['id']}", headers=stranger)
    unknown = await listing_client.get(f"/v1/supply-listings/{uuid.uuid4()}", headers=stranger)
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json()["detail"] == f"supply listing {held['id']} does not exist"
    listed = await listing_client.get("/v1/supply-listings?limit=100", headers=stranger)
    assert held["id"] not in [i["id"] for i in listed.json()["items"]]
    own_list = await listing_client.get(
        "/v1/supply-listings?limit=100", headers=owner.headers(listing_settings)
    )
    assert held["id"] in [i["id"] for i in own_list.json()["items"]]

    # The operator's queue holds all three, oldest first, across pages.
    queue = await _queue(listing_client, listing_settings)
    ours = [i for i in queue if i in {held["id"], second["id"], third["id"]}]
    assert ours == [held["id"], second["id"], third["id"]]
    not_operator = await listing_client.get(
        "/v1/supply-listings/review-queue", headers=owner.headers(listing_settings)
    )
    assert not_operator.status_code == 403

    operator = OPERATOR.headers(listing_settings, OPERATOR_SCOPES)
    approved = await listing_client.post(
        f"/v1/supply-listings/{held['id']}/approval", headers=operator
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "published"
    again = await listing_client.post(
        f"/v1/supply-listings/{held['id']}/approval", headers=operator
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/supply-listing-not-pending-review")
    seen = await listing_client.get(f"/v1/supply-listings/{held['id']}", headers=stranger)
    assert seen.status_code == 200

    rejected = await listing_client.post(
        f"/v1/supply-listings/{second['id']}/rejection",
        json={"reason": "权属存疑，暂不予发布"},
        headers=operator,
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "权属存疑，暂不予发布"
    assert second["id"] not in await _queue(listing_client, listing_settings)
    assert third["id"] in await _queue(listing_client, listing_settings)

    # The approved listing's event was sent once, at the approval; the held and the
    # rejected ones sent none. The third (still held) is approved last so that reading
    # up to its event proves the rejected one's absence is not a matter of timing.
    last = await listing_client.post(
        f"/v1/supply-listings/{third['id']}/approval", headers=operator
    )
    assert last.status_code == 200, last.text
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: any(e.data.get("listing_id") == third["id"] for e in es),
    )
    by_listing = [e.data.get("listing_id") for e in events if e.type == SUPPLY]
    assert by_listing.count(held["id"]) == 1
    assert second["id"] not in by_listing
    event = next(e for e in events if e.data.get("listing_id") == held["id"])
    assert event.data["lister"]["uscc"] == owner.uscc


async def test_an_unrestricted_partys_listing_is_published_at_once(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "某某大学")
    number = await register(listing_client, listing_settings, owner)
    listed = await _list(listing_client, listing_settings, owner, number, "专利转让")
    assert listed["status"] == "published"
    operator = OPERATOR.headers(listing_settings, OPERATOR_SCOPES)
    refused = await listing_client.post(
        f"/v1/supply-listings/{listed['id']}/rejection", json={"reason": "无"}, headers=operator
    )
    assert refused.status_code == 409
