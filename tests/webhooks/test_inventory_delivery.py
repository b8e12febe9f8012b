"""The stock-patent inventory's public events reach a connected platform like any other
public event: listing (in process, its sweep every 0.2 s) publishes them through its
outbox, webhooks delivers them to a real receiver on loopback, and what arrives carries
the patent, the institution, the tier and the flag, never inventors, evaluators' persons,
scores, estimates, notes or the reasons of a tier."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from listing.config import ListingSettings
from listing.main import create_app
from shared.auth import OrgType
from tests.listing.factories import patent_body
from tests.support.stack import Stack, application_number, eventually, org, running_app
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import connect, disconnect
from webhooks.config import WebhooksSettings

RECORDED = "cn.ipmarket.listing.inventory.recorded.v1"
EVALUATED = "cn.ipmarket.listing.inventory.evaluation_recorded.v1"
TIER_CHANGED = "cn.ipmarket.listing.inventory.tier_changed.v1"
FLAGGED = "cn.ipmarket.listing.state_funded.flagged.v1"
CLEARED = "cn.ipmarket.listing.state_funded.flag_cleared.v1"

INVENTOR = {"name": "欧阳明远", "contact": "ouyang.my@example.edu.cn"}
PORTFOLIO = "钠电储能组合"  # public
NOTES = "课题组倾向与本省龙头企业合作"
EVALUATOR = "司马评审"
SCENARIOS = "钠离子电池储能电站簇级在线监测"
PROSPECTS = "储能市场需求旺盛，五年内可形成规模"
IMPROVEMENT = "需完成千瓦时级中试验证"
OVERRIDE_REASON = "已与企业签订意向协议宜快速转化"
IMPLEMENTED = "已在合作企业产线实施并形成销售"
# What is personal or commercial: none of it may be found in a delivered event.
PRIVATE_TEXTS = (
    INVENTOR["name"],
    INVENTOR["contact"],
    NOTES,
    EVALUATOR,
    SCENARIOS,
    PROSPECTS,
    IMPROVEMENT,
    OVERRIDE_REASON,
    IMPLEMENTED,
    "350000000",
    "12000000",
)
PRIVATE_KEYS = frozenset(
    {
        "inventors",
        "contact",
        "notes",
        "evaluator_person",
        "readiness_level",
        "prospects_score",
        "prospects",
        "application_scenarios",
        "market_size",
        "investment_needed",
        "improvement_needed",
        "reasons",
        "reason",
        "override_reason",
        "description",
    }
)


@pytest.fixture(scope="module")
def listing_settings(stack: Stack) -> ListingSettings:
    return stack.settings(ListingSettings, state_funded_sweep_interval_s=0.2)


@pytest.fixture(scope="module")
async def listing_client(listing_settings: ListingSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(listing_settings)) as client:
        yield client


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


async def test_inventory_events_reach_a_platform_without_personal_or_commercial_data(
    listing_client: httpx.AsyncClient,
    listing_settings: ListingSettings,
    webhooks_client: httpx.AsyncClient,
    webhooks_settings: WebhooksSettings,
) -> None:
    receiver = Receiver("inventory")
    await receiver.start()
    connected = await connect(
        webhooks_client,
        webhooks_settings,
        receiver,
        event_types=["cn.ipmarket.listing.inventory.*", "cn.ipmarket.listing.state_funded.*"],
    )
    owner = org(OrgType.UNIVERSITY, "西安交通大学")
    headers = owner.headers(listing_settings)
    try:
        # State funded and granted more than five years ago: the sweep flags it.
        body = patent_body(
            owner,
            application_number=application_number(2015, 1),
            filing_date="2015-03-15",
            grant_date="2016-06-01",
            state_funded=True,
        )
        created = await listing_client.post("/v1/patents", json=body, headers=headers)
        assert created.status_code == 201, created.text
        number = created.json()["application_number"]
        base = f"/v1/patents/{number}"
        steps = [
            await listing_client.put(
                f"{base}/inventory",
                json={
                    "willingness": "willing",
                    "intended_modes": ["transfer", "equity_investment"],
                    "inventors": [INVENTOR],
                    "portfolios": [PORTFOLIO],
                    "state_funding_project": "国家重点研发计划 2016YFB0100100",
                    "notes": NOTES,
                },
                headers=headers,
            ),
            await listing_client.post(
                f"{base}/evaluations",
                json={
                    "kind": "institution",
                    "evaluator_person": EVALUATOR,
                    "readiness_level": 7,
                    "application_scenarios": SCENARIOS,
                    "scenario_industry_codes": ["C384"],
                    "prospects_score": 4,
                    "prospects": PROSPECTS,
                    "market_size": "350000000.00",
                    "investment_needed": "12000000.00",
                    "improvement_needed": IMPROVEMENT,
                },
                headers=headers,
            ),
            await listing_client.put(
                f"{base}/tier/override",
                json={"tier": "B", "reason": OVERRIDE_REASON},
                headers=headers,
            ),
        ]
        assert [s.status_code for s in steps] == [200, 201, 200], [s.text for s in steps]

        def flagged() -> bool:
            return FLAGGED in {e["type"] for e in receiver.events({number})}

        await eventually(flagged, timeout=60)
        implemented = await listing_client.post(
            f"{base}/implementations",
            json={"kind": "implemented", "date": "2024-05-01", "description": IMPLEMENTED},
            headers=headers,
        )
        assert implemented.status_code == 201, implemented.text

        expected = [RECORDED, EVALUATED, TIER_CHANGED, TIER_CHANGED, FLAGGED, CLEARED]

        def every_event() -> bool:
            return sorted(e["type"] for e in receiver.events({number})) == sorted(expected)

        await eventually(every_event, timeout=60)
    finally:
        await disconnect(webhooks_client, connected)
        await receiver.stop()

    assert receiver.rejected == []
    got = {e["type"]: e for e in receiver.events({number})}
    data = {kind: e["data"] for kind, e in got.items()}
    institution = {"name": owner.name, "uscc": owner.uscc, "org_id": None}
    assert data[RECORDED]["institution"] == institution
    assert (data[RECORDED]["willingness"], data[RECORDED]["state_funded"]) == ("willing", True)
    assert data[EVALUATED]["evaluator"] == institution
    tiers = [
        (e["data"]["tier"], e["data"]["source"])
        for e in receiver.events({number})
        if e["type"] == TIER_CHANGED
    ]
    assert tiers == [("A", "rule"), ("B", "override")]
    assert data[FLAGGED]["institutions"] == [institution]
    assert data[CLEARED]["because"] == "implemented"

    # The search below reads the events as delivered, Chinese text and all.
    assert PORTFOLIO in json.dumps(got[RECORDED], ensure_ascii=False)
    for event in receiver.events({number}):
        text = json.dumps(event, ensure_ascii=False)
        assert [t for t in PRIVATE_TEXTS if t in text] == [], event["type"]
        assert keys(event["data"]) & PRIVATE_KEYS == set(), event["type"]
