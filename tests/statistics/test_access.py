"""Who reads which figures: regulators and the operator all, a patentee its own patents'
(as they are owned now), a bank its own pledges, anyone else nothing."""

from __future__ import annotations

import httpx
import pytest

from ip_statistics.config import StatisticsSettings
from shared.auth import OrgType
from tests.statistics.scenario import YEAR, Scenario
from tests.support.stack import OPERATOR_SCOPES, Org, org

FIGURES = "/v1/statistics/figures"


async def total(
    client: httpx.AsyncClient, settings: StatisticsSettings, who: Org, measure: str, **more: str
) -> dict:
    scopes = OPERATOR_SCOPES if who.org_type is OrgType.OPERATOR else None
    answer = await client.get(
        FIGURES, params={"measure": measure, **YEAR, **more}, headers=who.headers(settings, scopes)
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["total"])


async def test_the_operator_reads_everything(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    operator = org(OrgType.OPERATOR, "平台运营方")
    found = await total(statistics_client, statistics_settings, operator, "pledges")
    assert found == {"count": 4, "amount": "3900000.00", "tech_amount": None}


async def test_an_institution_reads_its_own_patents(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    get = statistics_client, statistics_settings
    university, institute = scenario.university, scenario.institute
    assert await total(*get, university, "pledges") == {
        "count": 2,
        "amount": "1300000.00",
        "tech_amount": None,
    }
    assert (await total(*get, university, "licenses_granted"))["count"] == 1
    # P4 is the enterprise's since April: its transfer is no longer the university's.
    assert (await total(*get, university, "transfers"))["count"] == 0
    assert (await total(*get, scenario.enterprise, "transfers"))["count"] == 1
    assert (await total(*get, scenario.enterprise, "licenses_granted"))["count"] == 1
    assert (await total(*get, institute, "licenses_granted")) == {
        "count": 2,
        "amount": "250000.00",
        "tech_amount": None,
    }


async def test_a_bank_reads_the_pledges_where_it_is_the_pledgee(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    get = statistics_client, statistics_settings
    assert await total(*get, scenario.bank, "pledges") == {
        "count": 3,
        "amount": "3300000.00",
        "tech_amount": None,
    }
    assert (await total(*get, scenario.other_bank, "pledges"))["amount"] == "600000.00"
    refused = await statistics_client.get(
        FIGURES,
        params={"measure": "licenses_granted"},
        headers=scenario.bank.headers(statistics_settings),
    )
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    # Offered what it reads: the measures list holds the pledges alone.
    listed = await statistics_client.get(
        "/v1/statistics/measures", headers=scenario.bank.headers(statistics_settings)
    )
    assert [m["key"] for m in listed.json()["measures"]] == ["pledges"]


@pytest.mark.parametrize("org_type", [OrgType.EXCHANGE, OrgType.INSURER, OrgType.MEDIATOR])
async def test_others_read_nothing(
    org_type: OrgType, statistics_client: httpx.AsyncClient, statistics_settings: StatisticsSettings
) -> None:
    headers = org(org_type, "某交易所").headers(statistics_settings)
    for path in (FIGURES, "/v1/statistics/summary", "/v1/statistics/inventory-coverage"):
        answer = await statistics_client.get(path, params=_params(path), headers=headers)
        assert answer.status_code == 403, (path, answer.text)


async def test_no_token_is_401(statistics_client: httpx.AsyncClient) -> None:
    answer = await statistics_client.get(FIGURES, params={"measure": "pledges"})
    assert answer.status_code == 401


def _params(path: str) -> dict[str, str]:
    return {"measure": "pledges"} if path == FIGURES else {}


async def test_inventory_coverage_of_an_institution(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    for who, tiers in ((scenario.university, "A"), (scenario.institute, "C")):
        answer = await statistics_client.get(
            "/v1/statistics/inventory-coverage",
            params={"group_by": "province"},
            headers=who.headers(statistics_settings),
        )
        assert answer.status_code == 200, answer.text
        province = "440000" if tiers == "A" else "110000"
        assert answer.json() == {
            "group_by": "province",
            "rows": [
                {
                    "key": province,
                    "name": "广东省" if tiers == "A" else "北京市",
                    "patents": 1,
                    "inventoried": 1,
                    "tiers": {t: int(t == tiers) for t in "ABCD"},
                    "share_inventoried": "1.0000",
                }
            ],
        }


async def test_the_summary_of_a_year(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    answer = await statistics_client.get(
        "/v1/statistics/summary",
        params={"year": "2011"},
        headers=scenario.university.headers(statistics_settings),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    by_measure = {m["measure"]: m for m in body["measures"]}
    assert by_measure["pledges"] == {
        "measure": "pledges",
        "label": "专利质押",
        "count": 2,
        "amount": "1300000.00",
        "tech_amount": None,
    }
    assert by_measure["tech_contract_registrations"]["tech_amount"] == "9000.00"
    assert body["tech_contract_target"] == {
        "tech_contract_value": "12000.00",
        "target": "800000000000.00",
        "share": "0.0000",
    }
    bank = await statistics_client.get(
        "/v1/statistics/summary",
        params={"year": "2011"},
        headers=scenario.bank.headers(statistics_settings),
    )
    assert [m["measure"] for m in bank.json()["measures"]] == ["pledges"]
    assert bank.json()["measures"][0]["count"] == 3
