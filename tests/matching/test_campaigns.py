"""Campaigns (供需精准对接活动) through the HTTP API: the cluster, the empty cluster
refused, the tiers' patents pushed with the campaign's own limit, and the report."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from matching.config import MatchingSettings
from shared.auth import OrgType
from shared.events import topics
from tests.matching.seed import (
    SeedMatch,
    SeedPatent,
    SeedProfile,
    connect,
    pushes_of,
    seed,
)
from tests.support.stack import OPERATOR_SCOPES, eventually, org, read_topic

OPERATOR = org(OrgType.OPERATOR, "平台运营方")
REGULATOR = org(OrgType.REGULATOR, "国家知识产权局")


def _operator(settings: MatchingSettings) -> dict[str, str]:
    return OPERATOR.headers(settings, scopes=OPERATOR_SCOPES)


@pytest.mark.parametrize(
    ("change", "slug"),
    [
        ({}, "campaign-cluster-empty"),
        ({"tiers": ["A", "D"]}, "campaign-tier"),
        ({"industry_codes": ["38"]}, "campaign-industry-code"),
        ({"region_codes": ["440"]}, "campaign-region-code"),
    ],
)
async def test_a_campaign_without_enterprises_or_with_bad_codes_is_422(
    matching_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    change: dict,
    slug: str,
) -> None:
    # Nobody in this cluster: no test seeds enterprises of C36 in Xinjiang (65).
    body = {
        "name": "新疆汽车制造专利对接",
        "industry_codes": ["C36"],
        "region_codes": ["65"],
        "tiers": ["A"],
        "per_enterprise_limit": 3,
        **change,
    }
    response = await matching_client.post(
        "/v1/campaigns", json=body, headers=_operator(matching_settings)
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith(f"/{slug}")


async def test_a_campaign_pushes_its_tiers_to_its_cluster_and_reports_the_response(
    matching_client: httpx.AsyncClient, matching_settings: MatchingSettings
) -> None:
    capped, opted_out, guangzhou, silent = (
        org(OrgType.ENTERPRISE, name)
        for name in (
            "深圳某专用设备公司",
            "深圳某医疗器械公司",
            "广州某设备公司",
            "深圳某未同意公司",
        )
    )
    matched = SeedPatent(["C3541"], tier="A")
    concordant = SeedPatent(["C3542"], tier="B")
    also = SeedPatent(["C3541"], tier="A")
    other_tier = SeedPatent(["C3541"], tier="C")
    tier_d = SeedPatent(["C3541"], tier="D")
    elsewhere = SeedPatent(["C3990"], tier="A")
    patents = [matched, concordant, also, other_tier, tier_d, elsewhere]
    # ``capped`` has had its weekly cap of pushes: only the campaign reaches it now.
    fillers = [
        SeedPatent(["C3541"], tier="C") for _ in range(matching_settings.push_cap_per_7_days)
    ]
    conn = await connect(matching_settings)
    try:
        now = await conn.fetchval("SELECT now()")
    finally:
        await conn.close()
    await seed(
        matching_settings,
        patents=patents + fillers,
        profiles=[
            SeedProfile(capped, ["C354"], region_code="440305"),
            SeedProfile(opted_out, ["C354"], region_code="440304", opted_out=["C3541"]),
            SeedProfile(guangzhou, ["C354"], region_code="440106"),
            SeedProfile(silent, ["C354"], region_code="440305", push_consent=False),
        ],
        matches=[SeedMatch(matched, capped, 0.8)],
        pushes=[(capped, p, now - timedelta(hours=1)) for p in fillers],
    )

    response = await matching_client.post(
        "/v1/campaigns",
        json={
            "name": "深圳市专用设备制造专利供需对接",
            "industry_codes": ["C354"],
            "region_codes": ["4403"],
            "tiers": ["A", "B"],
            "per_enterprise_limit": 2,
        },
        headers=_operator(matching_settings),
    )
    assert response.status_code == 201, response.text
    campaign = response.json()
    campaign_id = campaign["campaign_id"]
    assert campaign["cluster_size"] == 2
    assert campaign["state"] == "active"

    async def completed() -> dict | None:
        got = await matching_client.get(
            f"/v1/campaigns/{campaign_id}", headers=REGULATOR.headers(matching_settings)
        )
        assert got.status_code == 200, got.text
        return got.json() if got.json()["state"] == "completed" else None

    await eventually(completed)

    def campaign_pushes(rows: list) -> list[str]:
        return [r["application_number"] for r in rows if r["campaign_id"] == campaign_id]

    capped_pushes = sorted(
        (r for r in await pushes_of(matching_settings, capped) if r["campaign_id"]),
        key=lambda r: -r["score"],
    )
    # The matched patent first, then the first concordant one without a match row:
    # two, the campaign's limit.
    assert campaign_pushes(capped_pushes) == [
        matched.application_number,
        min(concordant.application_number, also.application_number),
    ]
    assert json.loads(capped_pushes[0]["explanation"])["basis"] == "match"
    assert json.loads(capped_pushes[1]["explanation"])["basis"] == "industry"
    assert capped_pushes[1]["score"] == 0.0
    assert campaign_pushes(await pushes_of(matching_settings, opted_out)) == [
        concordant.application_number
    ]
    assert await pushes_of(matching_settings, guangzhou) == []
    assert await pushes_of(matching_settings, silent) == []

    # The matched push is read and answered positively.
    first = capped_pushes[0]["push_id"]
    read = await matching_client.get(
        f"/v1/inbox/{first}", headers=capped.headers(matching_settings)
    )
    assert read.json()["campaign_id"] == campaign_id
    assert read.json()["explanation"]["industry_links"][0]["industry_code"] == "C3541"
    answer = {
        "will_implement": "undecided",
        "wants_cooperation": False,
        "market_evaluation": "positive",
        "prospect_score": 3,
    }
    answered = await matching_client.put(
        f"/v1/inbox/{first}/feedback", json=answer, headers=capped.headers(matching_settings)
    )
    assert answered.status_code == 200, answered.text

    report = await matching_client.get(
        f"/v1/campaigns/{campaign_id}", headers=_operator(matching_settings)
    )
    figures = report.json()
    assert figures["cluster_size"] == 2
    assert figures["enterprises_reached"] == 2
    assert figures["pushes"] == 3
    assert figures["opened"] == {"count": 1, "rate": 0.3333}
    assert figures["feedback"] == {"count": 1, "rate": 0.3333}
    assert figures["positive_feedback"] == {"count": 1, "rate": 0.3333}
    assert figures["completed_at"] is not None

    listed = await matching_client.get(
        "/v1/campaigns", headers=REGULATOR.headers(matching_settings)
    )
    assert campaign_id in [c["campaign_id"] for c in listed.json()["items"]]
    refused = await matching_client.get("/v1/campaigns", headers=capped.headers(matching_settings))
    assert refused.status_code == 403

    pushed_ids = {r["push_id"] for r in capped_pushes}
    events = await read_topic(
        matching_settings.kafka_bootstrap_servers,
        topics.MATCHING,
        until=lambda es: (
            any(e.data.get("campaign_id") == campaign_id and "launched" in e.type for e in es)
            and pushed_ids <= {e.data.get("push_id") for e in es}
        ),
    )
    launched = next(
        e for e in events if e.type.endswith("campaign.launched.v1") and e.subject == campaign_id
    )
    assert launched.data["enterprises"] == 2
    assert launched.data["tiers"] == ["A", "B"]
    for event in events:
        if event.data.get("push_id") in pushed_ids and event.type.endswith("match.pushed.v1"):
            assert event.data["campaign_id"] == campaign_id
