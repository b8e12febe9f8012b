"""The CSV and XLSX exports say what the JSON says, and the cap refuses before sending."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import httpx
import openpyxl
import pytest

from ip_statistics.config import StatisticsSettings
from tests.statistics.conftest import EXPORT_CAP
from tests.statistics.scenario import YEAR, Scenario, regulator_headers

QUERY = {"measure": "pledges", "group_by": "month,province", **YEAR}


def _key(header: str) -> str:
    """``月份 (month)`` -> ``month``."""
    return header.rsplit("(", 1)[1].rstrip(")")


def _as_json(key: str, cell: Any) -> Any:
    if cell in (None, ""):
        return None
    if key == "count":
        return int(cell)
    if key in ("amount", "tech_amount"):
        return f"{Decimal(str(cell)):.2f}"
    return str(cell)


async def _json_rows(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict]:
    answer = await client.get("/v1/statistics/figures", params=QUERY, headers=headers)
    rows: list[dict] = answer.json()["rows"]
    assert len(rows) == 3
    return rows


async def test_the_csv_is_the_json(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    headers = regulator_headers(statistics_settings)
    answer = await statistics_client.get(
        "/v1/statistics/figures.csv", params=QUERY, headers=headers
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith("\ufeff".encode())
    disposition = answer.headers["content-disposition"]
    assert 'filename="statistics-pledges-2011-01_2011-12.csv"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "专利质押-2011-01_2011-12.csv"
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    keys = [_key(h) for h in lines[0]]
    assert lines[0][0] == "月份 (month)"
    assert keys == ["month", "province", "province_name", "count", "amount", "tech_amount"]
    parsed = [{k: _as_json(k, c) for k, c in zip(keys, line, strict=True)} for line in lines[1:]]
    assert parsed == await _json_rows(statistics_client, headers)


async def test_the_xlsx_is_the_json(
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    headers = regulator_headers(statistics_settings)
    answer = await statistics_client.get(
        "/v1/statistics/figures.xlsx", params=QUERY, headers=headers
    )
    assert answer.status_code == 200
    assert "filename*=UTF-8''" in answer.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    keys = [_key(str(h)) for h in values[0]]
    parsed = [{k: _as_json(k, c) for k, c in zip(keys, line, strict=True)} for line in values[1:]]
    assert parsed == await _json_rows(statistics_client, headers)
    assert isinstance(values[1][keys.index("amount")], int | float)  # a number Excel sums


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
async def test_an_export_over_the_cap_is_refused_before_it_starts(
    extension: str,
    scenario: Scenario,
    statistics_client: httpx.AsyncClient,
    statistics_settings: StatisticsSettings,
) -> None:
    answer = await statistics_client.get(
        f"/v1/statistics/figures.{extension}",
        # Four months of licences: one row more than the cap.
        params={"measure": "licenses_granted", "group_by": "month", **YEAR},
        headers=regulator_headers(statistics_settings),
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["type"].endswith("/export-too-large")
    assert problem["cap"] == EXPORT_CAP
    assert problem["rows"] == EXPORT_CAP + 1
