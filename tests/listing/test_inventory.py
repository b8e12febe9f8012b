"""A patent's inventory through the API: the record, evaluations, tiers, overrides,
matching feedback, search filters, and no personal data in public events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import MatchFeedbackRecorded, OrgRef
from shared.events.schemas.matching import MarketEvaluation, WillImplement
from tests.listing.test_declarations import publish, register
from tests.support.stack import OPERATOR_SCOPES, Org, consumed, org, read_topic

OPERATOR = org(OrgType.OPERATOR, "平台运营方")
INVENTOR = {"name": "王晓明", "contact": "wangxm@example.edu.cn"}


def inventory_body(**overrides: Any) -> dict[str, Any]:
    return {
        "willingness": "willing",
        "intended_modes": ["transfer", "open_license"],
        "inventors": [INVENTOR],
        "portfolios": ["储能电池组合"],
        "state_funding_project": "国家重点研发计划 2019YFB1234500",
        "notes": "课题组希望优先与省内企业合作",
        **overrides,
    }


def evaluation_body(readiness: int, prospects: int, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "institution",
        "evaluator_person": "李评估",
        "readiness_level": readiness,
        "application_scenarios": "储能电站电池簇在线监测",
        "scenario_industry_codes": ["C384", "D44"],
        "prospects_score": prospects,
        "prospects": "市场需求旺盛",
        "market_size": "350000000.00",
        "investment_needed": "12000000.00",
        "improvement_needed": "需完成中试",
        **overrides,
    }


async def inventoried(client: httpx.AsyncClient, settings: ListingSettings, owner: Org) -> str:
    number = await register(client, settings, owner)
    r = await client.put(
        f"/v1/patents/{number}/inventory", json=inventory_body(), headers=owner.headers(settings)
    )
    assert r.status_code == 200, r.text
    return number


async def evaluate(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, number: str, r: int, p: int
) -> httpx.Response:
    return await client.post(
        f"/v1/patents/{number}/evaluations",
        json=evaluation_body(r, p),
        headers=owner.headers(settings),
    )


async def test_an_institution_records_and_updates_its_inventory(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "华中科技大学")
    number = await inventoried(listing_client, listing_settings, owner)
    url = f"/v1/patents/{number}/inventory"
    got = (await listing_client.get(url, headers=owner.headers(listing_settings))).json()
    assert got["inventors"] == [INVENTOR]
    assert (got["institution_uscc"], got["institution_name"]) == (owner.uscc, owner.name)
    assert (got["evaluated"], got["tier"]) == (False, None)
    updated = await listing_client.put(
        url,
        json=inventory_body(willingness="undecided", intended_modes=["license"]),
        headers=owner.headers(listing_settings),
    )
    assert updated.status_code == 200, updated.text
    patent = (
        await listing_client.get(f"/v1/patents/{number}", headers=owner.headers(listing_settings))
    ).json()
    assert (patent["willingness"], patent["intended_modes"]) == ("undecided", ["license"])
    # The operator records for an institution it names, which must be a patentee.
    operator = OPERATOR.headers(listing_settings, OPERATOR_SCOPES)
    refused = await listing_client.put(
        url,
        json=inventory_body(institution_uscc=org(OrgType.UNIVERSITY, "x").uscc),
        headers=operator,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"].endswith("inventory-institution-not-patentee")
    by_operator = await listing_client.put(
        url, json=inventory_body(institution_uscc=owner.uscc), headers=operator
    )
    assert by_operator.status_code == 200, by_operator.text


async def test_private_reads_are_refused_to_others_and_allowed_to_regulators(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "武汉理工大学")
    number = await inventoried(listing_client, listing_settings, owner)
    assert (
        await evaluate(listing_client, listing_settings, owner, number, 8, 5)
    ).status_code == 201
    stranger = org(OrgType.ENTERPRISE, "某科技有限公司")
    regulator = org(OrgType.REGULATOR, "湖北省知识产权局")
    for path in ("inventory", "evaluations", "tier/history"):
        url = f"/v1/patents/{number}/{path}"
        denied = await listing_client.get(url, headers=stranger.headers(listing_settings))
        assert denied.status_code == 403, (path, denied.text)
        assert denied.headers["content-type"] == "application/problem+json"
        allowed = await listing_client.get(url, headers=regulator.headers(listing_settings))
        assert allowed.status_code == 200, (path, allowed.text)
    public = (
        await listing_client.get(
            f"/v1/patents/{number}/tier", headers=stranger.headers(listing_settings)
        )
    ).json()
    assert public["tier"] == "A"
    assert public["reasons"] is None
    assert public["computed_tier"] is None
    private = (
        await listing_client.get(
            f"/v1/patents/{number}/tier", headers=regulator.headers(listing_settings)
        )
    ).json()
    assert private["rule_id"] == "A1"
    assert private["reasons"][0].startswith("A1")
    write = await listing_client.put(
        f"/v1/patents/{number}/inventory",
        json=inventory_body(),
        headers=stranger.headers(listing_settings),
    )
    assert write.status_code == 403, write.text


async def test_evaluations_are_versioned_and_move_the_tier_per_the_worked_examples(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.RESEARCH_INSTITUTE, "中国科学院武汉物理与数学研究所")
    number = await register(listing_client, listing_settings, owner)
    early = await evaluate(listing_client, listing_settings, owner, number, 8, 5)
    assert early.status_code == 409, early.text
    assert early.json()["type"].endswith("inventory-not-recorded")
    await listing_client.put(
        f"/v1/patents/{number}/inventory",
        json=inventory_body(),
        headers=owner.headers(listing_settings),
    )
    expected = [((6, 3), "B", "B1"), ((8, 5), "A", "A1"), ((3, 2), "D", "D2"), ((5, 2), "C", "C1")]
    for version, ((r, p), tier, rule) in enumerate(expected, start=1):
        made = await evaluate(listing_client, listing_settings, owner, number, r, p)
        assert made.status_code == 201, made.text
        assert (made.json()["version"], made.json()["kind"]) == (version, "institution")
        got = (
            await listing_client.get(
                f"/v1/patents/{number}/tier", headers=owner.headers(listing_settings)
            )
        ).json()
        assert (got["tier"], got["rule_id"], got["rule_version"]) == (tier, rule, "2026-12-v1")
    items = (
        await listing_client.get(
            f"/v1/patents/{number}/evaluations", headers=owner.headers(listing_settings)
        )
    ).json()["items"]
    assert [e["version"] for e in items] == [1, 2, 3, 4]
    history = (
        await listing_client.get(
            f"/v1/patents/{number}/tier/history", headers=owner.headers(listing_settings)
        )
    ).json()["items"]
    assert [(h["previous_tier"], h["tier"], h["source"]) for h in history] == [
        (None, "B", "rule"),
        ("B", "A", "rule"),
        ("A", "D", "rule"),
        ("D", "C", "rule"),
    ]
    patent = (
        await listing_client.get(f"/v1/patents/{number}", headers=owner.headers(listing_settings))
    ).json()
    assert patent["tier"] == "C"


async def test_bad_evaluations_are_422_naming_the_field(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "湖北大学")
    number = await inventoried(listing_client, listing_settings, owner)
    url = f"/v1/patents/{number}/evaluations"
    for body, field in [
        (evaluation_body(12, 3), "body.readiness_level"),
        (evaluation_body(5, 3, scenario_industry_codes=["C99"]), "body.scenario_industry_codes.0"),
        (evaluation_body(5, 3, scenario_industry_codes=["384C"]), "body.scenario_industry_codes.0"),
    ]:
        r = await listing_client.post(url, json=body, headers=owner.headers(listing_settings))
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == [field]


async def test_an_override_with_its_reason_and_its_clearing(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "中南民族大学")
    number = await inventoried(listing_client, listing_settings, owner)
    await evaluate(listing_client, listing_settings, owner, number, 6, 3)  # B1
    url = f"/v1/patents/{number}/tier/override"
    headers = owner.headers(listing_settings)
    no_reason = await listing_client.put(url, json={"tier": "A", "reason": ""}, headers=headers)
    assert no_reason.status_code == 422, no_reason.text
    set_ = await listing_client.put(
        url, json={"tier": "A", "reason": "已签订意向协议"}, headers=headers
    )
    assert set_.status_code == 200, set_.text
    assert (set_.json()["tier"], set_.json()["computed_tier"], set_.json()["override_reason"]) == (
        "A",
        "B",
        "已签订意向协议",
    )
    await evaluate(listing_client, listing_settings, owner, number, 3, 2)  # D2 underneath
    assert (await listing_client.get(f"/v1/patents/{number}/tier", headers=headers)).json()[
        "tier"
    ] == "A"
    cleared = await listing_client.delete(url, headers=headers)
    assert cleared.status_code == 200, cleared.text
    assert (cleared.json()["tier"], cleared.json()["overridden"]) == ("D", False)
    assert (await listing_client.delete(url, headers=headers)).status_code == 404
    history = (
        await listing_client.get(f"/v1/patents/{number}/tier/history", headers=headers)
    ).json()["items"]
    assert [(h["source"], h["tier"], h["in_force"]) for h in history] == [
        ("rule", "B", True),
        ("override", "A", True),
        ("rule", "D", False),
        ("override_cleared", "D", True),
    ]
    assert history[1]["reasons"] == ["已签订意向协议"]


def feedback(number: str, will: WillImplement, market: MarketEvaluation) -> MatchFeedbackRecorded:
    return MatchFeedbackRecorded(
        feedback_id=uuid.uuid4().hex,
        application_number=number,
        enterprise=OrgRef(name="武汉某储能科技有限公司", uscc=org(OrgType.ENTERPRISE, "e").uscc),
        will_implement=will,
        wants_cooperation=True,
        market_evaluation=market,
        recorded_at=datetime.now(UTC),
    )


async def test_matching_feedback_moves_the_tier(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "武汉大学")
    number = await inventoried(listing_client, listing_settings, owner)
    await evaluate(listing_client, listing_settings, owner, number, 6, 3)  # B1
    sent = await publish(
        listing_settings, feedback(number, WillImplement.YES, MarketEvaluation.POSITIVE)
    )
    await consumed(listing_settings, sent.id)
    got = (
        await listing_client.get(
            f"/v1/patents/{number}/tier", headers=owner.headers(listing_settings)
        )
    ).json()
    assert (got["tier"], got["rule_id"]) == ("A", "A2")
    history = (
        await listing_client.get(
            f"/v1/patents/{number}/tier/history", headers=owner.headers(listing_settings)
        )
    ).json()["items"]
    assert history[-1]["actor"] == "matching"


async def test_search_filters_on_the_public_inventory_facts(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "三峡大学")
    a = await inventoried(listing_client, listing_settings, owner)
    await evaluate(listing_client, listing_settings, owner, a, 8, 5)
    b = await register(listing_client, listing_settings, owner)
    await listing_client.put(
        f"/v1/patents/{b}/inventory",
        json=inventory_body(willingness="not_willing", intended_modes=["joint_development"]),
        headers=owner.headers(listing_settings),
    )
    headers = owner.headers(listing_settings)

    async def numbers(query: str) -> set[str]:
        r = await listing_client.get(f"/v1/search/patents?limit=100&{query}", headers=headers)
        assert r.status_code == 200, r.text
        return {h["application_number"] for h in r.json()["items"]} & {a, b}

    assert await numbers("tier=A") == {a}
    assert await numbers("tier=B&tier=A") == {a}
    assert await numbers("willingness=not_willing") == {b}
    assert await numbers("intended_mode=transfer") == {a}
    assert await numbers("intended_mode=joint_development&intended_mode=transfer") == {a, b}
    assert await numbers("unexploited=false&willingness=willing") == {a}
    assert await numbers("unexploited=true") == set()
    hit = (await listing_client.get("/v1/search/patents?tier=A&limit=100", headers=headers)).json()
    mine = next(h for h in hit["items"] if h["application_number"] == a)
    assert (mine["tier"], mine["willingness"], mine["unexploited_flagged_on"]) == (
        "A",
        "willing",
        None,
    )
    bad = await listing_client.get("/v1/search/patents?tier=E", headers=headers)
    assert bad.status_code == 422


async def test_no_personal_or_commercial_data_in_public_events(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "华中农业大学")
    number = await inventoried(listing_client, listing_settings, owner)
    await evaluate(listing_client, listing_settings, owner, number, 8, 5)
    wanted = {
        "cn.ipmarket.listing.inventory.recorded.v1",
        "cn.ipmarket.listing.inventory.evaluation_recorded.v1",
        "cn.ipmarket.listing.inventory.tier_changed.v1",
    }

    def mine(events: list[Any]) -> list[Any]:
        return [e for e in events if e.subject == number]

    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda got: wanted <= {e.type for e in mine(got)},
    )
    text = " ".join(str(e.data) for e in mine(events))
    for secret in ("王晓明", "wangxm", "李评估", "350000000", "12000000", "市场需求旺盛", "课题组"):
        assert secret not in text, secret
    tier = next(e for e in mine(events) if e.type.endswith("tier_changed.v1"))
    assert tier.data["tier"] == "A"
    assert "reasons" not in tier.data
    recorded = next(e for e in mine(events) if e.type.endswith("inventory.recorded.v1"))
    assert recorded.data["state_funded"] is True
    assert recorded.data["institution"]["uscc"] == owner.uscc
