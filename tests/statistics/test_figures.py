"""Every figure of the scenario (scenario.py), exactly, as a regulator reads them."""

from __future__ import annotations

from typing import Any

import httpx

from ip_statistics.config import StatisticsSettings
from tests.statistics.scenario import YEAR, Scenario, regulator_headers


async def figures(
    client: httpx.AsyncClient, settings: StatisticsSettings, **params: str
) -> dict[str, Any]:
    answer = await client.get(
        "/v1/statistics/figures", params={**YEAR, **params}, headers=regulator_headers(settings)
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def row(count: int, amount: str | None = None, tech: str | None = None, **keys: Any) -> dict:
    return {**keys, "count": count, "amount": amount, "tech_amount": tech}


def gd(month: str, count: int, amount: str) -> dict[str, Any]:
    return row(count, amount, month=month, province="440000", province_name="广东省")


async def test_before_the_late_events_a_patent_without_attributes_groups_under_null(
    scenario: Scenario,
) -> None:
    """After phase 1: P3's pledge has no province yet, and February lacks pl4."""
    assert scenario.before["pledges"]["rows"] == [
        gd("2011-02", 1, "1000000.00"),
        row(1, "600000.00", month="2011-03", province="110000", province_name="北京市"),
        row(1, "2000000.00", month="2011-03", province=None, province_name=None),
    ]


async def test_pledges_by_month_and_province(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    """The late pledge corrects February; P3's attributes place its March pledge; the
    redelivered registration counts once; the changed pledge counts its new amount in the
    month it was registered; cancelled pledges stay counted."""
    body = await figures(
        statistics_client, statistics_settings, measure="pledges", group_by="month,province"
    )
    assert body["measure"] == "pledges"
    assert body["label"] == "专利质押"
    assert body["group_by"] == ["month", "province"]
    assert (body["from"], body["to"]) == ("2011-01", "2011-12")
    assert body["rows"] == [
        gd("2011-02", 2, "1300000.00"),
        row(1, "600000.00", month="2011-03", province="110000", province_name="北京市"),
        gd("2011-03", 1, "2000000.00"),
    ]
    assert body["total"] == {"count": 4, "amount": "3900000.00", "tech_amount": None}


async def test_pledges_by_city_and_filtered(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    by_city = await figures(
        statistics_client, statistics_settings, measure="pledges", group_by="city"
    )
    assert by_city["rows"] == [
        row(1, "600000.00", city="110100"),
        row(1, "2000000.00", city="440100"),
        row(2, "1300000.00", city="440300"),
    ]
    guangdong = await figures(
        statistics_client, statistics_settings, measure="pledges", region="44"
    )
    assert guangdong["rows"] == [row(3, "3300000.00")]
    shenzhen = await figures(
        statistics_client, statistics_settings, measure="pledges", region="440300"
    )
    assert shenzhen["total"] == {"count": 2, "amount": "1300000.00", "tech_amount": None}
    march = await figures(
        statistics_client,
        statistics_settings,
        measure="pledges",
        **{"from": "2011-03"},
        to="2011-03",
    )
    assert march["total"] == {"count": 2, "amount": "2600000.00", "tech_amount": None}


async def test_licences_by_detail_party_type_and_industry(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    """P4's licence counts under its new owner's party type (an owner change)."""
    get = statistics_client, statistics_settings
    by_detail = await figures(*get, measure="licenses_granted", group_by="detail")
    assert by_detail["rows"] == [
        row(1, "200000.00", detail="exclusive"),
        row(1, "10000.00", detail="open"),
        row(2, "50000.00", detail="ordinary"),
    ]
    assert by_detail["total"] == {"count": 4, "amount": "260000.00", "tech_amount": None}
    by_party = await figures(*get, measure="licenses_granted", group_by="party_type")
    assert by_party["rows"] == [
        row(1, "0.00", party_type="enterprise"),
        row(2, "250000.00", party_type="research_institute"),
        row(1, "10000.00", party_type="university"),
    ]
    by_industry = await figures(
        *get, measure="licenses_granted", group_by="industry_section,industry_division"
    )
    assert by_industry["rows"] == [
        row(2, "10000.00", industry_section="C", industry_division="C38"),
        row(2, "250000.00", industry_section="I", industry_division="I65"),
    ]
    manufacturing = await figures(*get, measure="licenses_granted", industry="C38")
    assert manufacturing["total"]["count"] == 2
    universities = await figures(
        *get, measure="licenses_granted", party_type="university", group_by="month"
    )
    assert universities["rows"] == [row(1, "10000.00", month="2011-02")]


async def test_every_other_measure(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    get = statistics_client, statistics_settings
    registrations = await figures(*get, measure="tech_contract_registrations", group_by="month")
    # Registered again with corrected values: replaced, not added.
    assert registrations["rows"] == [row(1, "12000.00", "9000.00", month="2011-04")]
    transfers = await figures(*get, measure="transfers", group_by="month,detail")
    assert transfers["rows"] == [row(1, "300000.00", month="2011-04", detail="deal")]
    tiers = await figures(*get, measure="tier_assignments", group_by="detail")
    assert tiers["rows"] == [row(1, detail="A"), row(1, detail="B"), row(1, detail="C")]
    inventoried = await figures(*get, measure="patents_inventoried", group_by="month,detail")
    assert inventoried["rows"] == [
        row(1, month="2011-01", detail="willing"),
        row(1, month="2011-02", detail="undecided"),
    ]
    registered = await figures(*get, measure="patents_registered", group_by="month")
    assert registered["rows"] == [row(4, month="2011-01")]
    outcomes = await figures(*get, measure="mediation_outcomes", group_by="month,detail")
    assert outcomes["rows"] == [
        row(1, month="2011-04", detail="refused"),
        row(1, month="2011-05", detail="settled"),
    ]
    requests = await figures(*get, measure="mediation_requests", group_by="detail")
    assert requests["rows"] == [row(2, detail="licensee")]
    feedback = await figures(*get, measure="match_feedback", group_by="detail")
    assert feedback["rows"] == [row(1, detail="no")]  # answered again: the latest stands
    pushes = await figures(*get, measure="matching_pushes", group_by="detail")
    assert pushes["rows"] == [row(1, detail="routine")]
    opened = await figures(*get, measure="pushes_opened", group_by="month")
    assert opened["rows"] == [row(1, month="2011-03")]
    declarations = await figures(*get, measure="open_license_declarations")
    assert declarations["rows"] == []
    assert declarations["total"] == {"count": 0, "amount": None, "tech_amount": None}


async def test_measures_are_listed(
    statistics_client: httpx.AsyncClient, statistics_settings: StatisticsSettings
) -> None:
    answer = await statistics_client.get(
        "/v1/statistics/measures", headers=regulator_headers(statistics_settings)
    )
    assert answer.status_code == 200
    pledges = next(m for m in answer.json()["measures"] if m["key"] == "pledges")
    assert pledges == {
        "key": "pledges",
        "label": "专利质押",
        "label_en": "Pledges",
        "amount_label": "担保债权数额",
        "tech_amount_label": None,
        "details": [],
    }
