"""Supply listings and technical needs through listing's API on the real stack."""

from __future__ import annotations

import uuid

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from tests.listing.factories import patent_body
from tests.support.stack import Org, org, read_topic

SUPPLY = "cn.ipmarket.listing.supply.published.v1"
DEMAND = "cn.ipmarket.listing.demand.published.v1"


def exchange() -> Org:
    return Org(f"exchange-{uuid.uuid4().hex[:8]}", "深圳技术交易所", OrgType.EXCHANGE, None)


def demand_body(**overrides: object) -> dict[str, object]:
    return {
        "title": "动力电池低温快充热管理技术需求",
        "description": "寻求-20℃环境下30分钟充至80%的热管理方案",
        "ipc_codes": ["H01M10/615"],
        "budget_min": "500000",
        "budget_max": "2000000",
        "region_code": "440300",
        "deadline": "2099-06-30",
        "contact": "张工 0755-88888888",
        **overrides,
    }


async def test_a_patentee_lists_its_catalogued_patent_with_the_catalogue_facts(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    body = patent_body(owner)
    created = await listing_client.post(
        "/v1/patents", json=body, headers=owner.headers(listing_settings)
    )
    assert created.status_code == 201, created.text
    number = created.json()["application_number"]
    listed = await listing_client.post(
        "/v1/supply-listings",
        json={
            "application_number": number,
            "kind": "transfer",
            "title": "固态电解质专利转让",
            "asking_price": "800000",
            "contact": "技术转移中心 王老师",
        },
        headers=owner.headers(listing_settings),
    )
    assert listed.status_code == 201, listed.text
    listing = listed.json()
    assert listing["ipc_codes"] == created.json()["ipc_codes"]
    assert listing["asking_price"] == "800000.00"
    assert listing["source_platform"] is None
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: any(e.data.get("listing_id") == listing["id"] for e in es),
    )
    event = next(e for e in events if e.data.get("listing_id") == listing["id"])
    assert event.type == SUPPLY
    assert event.partitionkey == number
    assert event.originplatform is None

    stranger = org(OrgType.ENTERPRISE, "某公司")
    refused = await listing_client.post(
        "/v1/supply-listings",
        json={"application_number": number, "kind": "license", "title": "许可", "contact": "x"},
        headers=stranger.headers(listing_settings),
    )
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/supply-not-patentee")


async def test_a_platform_publishes_once_per_reference_and_its_events_carry_it(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    platform = exchange()
    reference = f"SZTEX-{uuid.uuid4().hex[:6]}"
    body = demand_body(external_reference=reference)
    first = await listing_client.post(
        "/v1/demands", json=body, headers=platform.headers(listing_settings)
    )
    again = await listing_client.post(
        "/v1/demands", json=body, headers=platform.headers(listing_settings)
    )
    assert first.status_code == 201, first.text
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["source_platform"] == platform.org_id
    assert first.json()["ipc_codes"] == ["H01M 10/615"]
    demand_id = first.json()["id"]
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: any(e.subject == demand_id for e in es),
    )
    mine = [e for e in events if e.subject == demand_id]
    assert len(mine) == 1
    assert mine[0].type == DEMAND
    assert mine[0].originplatform == platform.org_id
    assert mine[0].partitionkey == demand_id
    page = await listing_client.get("/v1/demands", headers=platform.headers(listing_settings))
    assert demand_id in [d["id"] for d in page.json()["items"]]


async def test_listings_are_refused_with_the_rule_they_break(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    enterprise = org(OrgType.ENTERPRISE, "新能储能")
    headers = enterprise.headers(listing_settings)
    cases = [
        (demand_body(deadline="2020-01-01"), 422, "/demand-deadline-passed", "past"),
        (demand_body(budget_min="9", budget_max="1"), 422, "/demand-budget-range-inverted", "9"),
        (
            demand_body(title="国内领先的热管理需求"),
            422,
            "/listing-promotional-wording",
            "国内领先",
        ),
        (demand_body(region_code="12"), 422, "/validation-error", "region_code"),
        (demand_body(budget_min="-1"), 422, "/validation-error", "budget_min"),
    ]
    for body, status, problem, says in cases:
        response = await listing_client.post("/v1/demands", json=body, headers=headers)
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith(problem)
        assert says in response.text
    bank = org(OrgType.BANK, "某银行")
    assert (
        await listing_client.post(
            "/v1/demands", json=demand_body(), headers=bank.headers(listing_settings)
        )
    ).status_code == 403
    bad_number = await listing_client.post(
        "/v1/supply-listings",
        json={
            "application_number": "201710601862.4",
            "kind": "transfer",
            "title": "t",
            "contact": "c",
        },
        headers=headers,
    )
    assert bad_number.status_code == 422
    assert "check digit" in bad_number.text
    missing = await listing_client.get(f"/v1/supply-listings/{uuid.uuid4()}", headers=headers)
    assert missing.status_code == 404
