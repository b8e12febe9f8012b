"""Every kind of bad input is a 422 problem naming its parameter."""

from __future__ import annotations

import httpx
import pytest

from ip_statistics.config import StatisticsSettings
from tests.statistics.scenario import regulator_headers

BAD = [
    ({"measure": "nope"}, "measure"),
    ({"measure": "pledges", "group_by": "month,colour"}, "group_by"),
    ({"measure": "pledges", "group_by": "month,province,city"}, "group_by"),
    ({"measure": "pledges", "group_by": "month,month"}, "group_by"),
    ({"measure": "pledges", "party_type": "bank"}, "party_type"),
    ({"measure": "pledges", "from": "2026-05", "to": "2026-01"}, "from"),
    ({"measure": "pledges", "from": "2026-13"}, "from"),
    ({"measure": "pledges", "to": "2026/01"}, "to"),
    ({"measure": "pledges", "region": "4a"}, "region"),
    ({"measure": "pledges", "region": "441"}, "region"),
    ({"measure": "pledges", "industry": "C3"}, "industry"),
    ({"measure": "pledges", "industry": "C99"}, "industry"),
    ({"measure": "pledges", "industry": "Z"}, "industry"),
]


@pytest.mark.parametrize(("params", "field"), BAD)
@pytest.mark.parametrize("path", ["figures", "figures.csv", "figures.xlsx"])
async def test_bad_figure_parameters(
    params: dict[str, str],
    field: str,
    path: str,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    answer = await statistics_client.get(
        f"/v1/statistics/{path}", params=params, headers=regulator_headers(statistics_settings)
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["field"] == field
    assert problem["detail"].startswith(f"{field}: ")


async def test_a_missing_measure_is_named(
    statistics_client: httpx.AsyncClient, statistics_settings: StatisticsSettings
) -> None:
    answer = await statistics_client.get(
        "/v1/statistics/figures", headers=regulator_headers(statistics_settings)
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "query.measure"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": "month"}, "group_by"),
        ({"region": "x"}, "region"),
        ({"industry": "9"}, "industry"),
    ],
)
async def test_bad_coverage_parameters(
    params: dict[str, str],
    field: str,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    answer = await statistics_client.get(
        "/v1/statistics/inventory-coverage",
        params=params,
        headers=regulator_headers(statistics_settings),
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == field


# The query string is text: a year is read from it, and refused only outside 2000..2100.
@pytest.mark.parametrize(
    ("year", "read"),
    [("2000", True), ("2100", True), ("1999", False), ("2101", False), ("二〇二六", False)],
)
async def test_the_year_of_a_summary(
    year: str,
    read: bool,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    answer = await statistics_client.get(
        "/v1/statistics/summary",
        params={"year": year},
        headers=regulator_headers(statistics_settings),
    )
    if read:
        assert answer.status_code == 200, answer.text
        assert answer.json()["year"] == int(year)
    else:
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "query.year"
