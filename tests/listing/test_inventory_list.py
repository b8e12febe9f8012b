"""An institution's list of its inventoried patents (GET /v1/inventory/patents): its own
for an institution, any institution's for regulators and the operator; filtered by tier,
willingness and evaluation; paged by cursor; exported as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest

from listing.config import ListingSettings
from shared.auth import OrgType
from tests.listing.test_declarations import register
from tests.listing.test_inventory import OPERATOR, evaluate, inventoried, inventory_body
from tests.support.stack import OPERATOR_SCOPES, Org, org

URL = "/v1/inventory/patents"
REGULATOR = org(OrgType.REGULATOR, "教育部科技发展中心")


async def listed(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    """Every page of the list, followed by its cursors."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = await client.get(
            URL, params={**params, **({"cursor": cursor} if cursor else {})}, headers=headers
        )
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def numbers(items: list[dict[str, Any]]) -> list[str]:
    return [i["application_number"] for i in items]


@pytest.fixture(scope="module")
async def inventory(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> dict[str, Any]:
    """Two institutions' inventories: 天津大学 with one patent of each willingness (the
    willing one evaluated into tier A) and one not inventoried; 南开大学 with one."""
    tianjin, nankai = org(OrgType.UNIVERSITY, "天津大学"), org(OrgType.UNIVERSITY, "南开大学")
    client, settings = listing_client, listing_settings
    willing = await inventoried(client, settings, tianjin)
    assert (await evaluate(client, settings, tianjin, willing, 7, 4)).status_code == 201  # A1
    others = []
    for willingness in ("not_willing", "undecided"):
        number = await inventoried(client, settings, tianjin)
        response = await client.put(
            f"/v1/patents/{number}/inventory",
            json=inventory_body(willingness=willingness, intended_modes=[]),
            headers=tianjin.headers(settings),
        )
        assert response.status_code == 200, response.text
        others.append(number)
    await register(client, settings, tianjin)  # catalogued, not inventoried
    return {
        "tianjin": tianjin,
        "nankai": nankai,
        "willing": willing,
        "not_willing": others[0],
        "undecided": others[1],
        "nankai_patent": await inventoried(client, settings, nankai),
    }


async def test_an_institution_lists_its_own_inventoried_patents_page_by_page(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings, inventory: dict[str, Any]
) -> None:
    tianjin: Org = inventory["tianjin"]
    own = sorted([inventory["willing"], inventory["not_willing"], inventory["undecided"]])
    items = await listed(listing_client, tianjin.headers(listing_settings), limit=2)
    assert numbers(items) == own
    first = items[own.index(inventory["willing"])]
    assert (first["institution_uscc"], first["institution_name"]) == (tianjin.uscc, tianjin.name)
    assert (first["willingness"], first["intended_modes"]) == (
        "willing",
        ["transfer", "open_license"],
    )
    assert (first["evaluated"], first["tier"], first["computed_tier"]) == (True, "A", "A")
    assert first["title"] == "一种锂离子电池健康状态在线检测方法"
    assert "inventors" not in first
    assert "notes" not in first
    page = await listing_client.get(
        URL, params={"limit": 2}, headers=tianjin.headers(listing_settings)
    )
    assert len(page.json()["items"]) == 2
    assert page.json()["next_cursor"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tier": "A"}, ["willing"]),
        ({"willingness": "not_willing"}, ["not_willing"]),
        ({"evaluated": "false"}, ["not_willing", "undecided"]),
        ({"evaluated": "true", "willingness": "willing"}, ["willing"]),
        ({"tier": "B"}, []),
    ],
)
async def test_the_list_filters_by_tier_willingness_and_evaluation(
    listing_client: httpx.AsyncClient,
    listing_settings: ListingSettings,
    inventory: dict[str, Any],
    params: dict[str, str],
    expected: list[str],
) -> None:
    headers = inventory["tianjin"].headers(listing_settings)
    items = await listed(listing_client, headers, **params)
    assert numbers(items) == sorted(inventory[name] for name in expected)


async def test_regulators_and_the_operator_list_any_institution_or_all(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings, inventory: dict[str, Any]
) -> None:
    nankai: Org = inventory["nankai"]
    by_regulator = await listed(
        listing_client, REGULATOR.headers(listing_settings), institution=nankai.uscc
    )
    assert numbers(by_regulator) == [inventory["nankai_patent"]]
    operator = OPERATOR.headers(listing_settings, scopes=OPERATOR_SCOPES)
    everything = set(numbers(await listed(listing_client, operator, limit=200)))
    mine = {inventory[k] for k in ("willing", "not_willing", "undecided", "nankai_patent")}
    assert mine <= everything


async def test_another_institution_s_list_is_refused(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings, inventory: dict[str, Any]
) -> None:
    headers = inventory["tianjin"].headers(listing_settings)
    other = await listing_client.get(
        URL, params={"institution": inventory["nankai"].uscc}, headers=headers
    )
    assert other.status_code == 403, other.text
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["type"].endswith("/inventory-not-owner")
    assert "institution" in other.json()["detail"]
    no_uscc = org(OrgType.ENTERPRISE, "无信用代码企业", with_uscc=False)
    refused = await listing_client.get(URL, headers=no_uscc.headers(listing_settings))
    assert refused.status_code == 403, refused.text
    assert (await listing_client.get(URL)).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tier": "E"}, "query.tier"),
        ({"willingness": "maybe"}, "query.willingness"),
        ({"evaluated": "sometimes"}, "query.evaluated"),
        ({"institution": "12110000000000000X"}, "query.institution"),
        ({"cursor": "bm90LWEtY3Vyc29y"}, None),
    ],
)
async def test_bad_filters_are_422_naming_the_parameter(
    listing_client: httpx.AsyncClient,
    listing_settings: ListingSettings,
    params: dict[str, str],
    field: str | None,
) -> None:
    response = await listing_client.get(
        URL, params=params, headers=REGULATOR.headers(listing_settings)
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if field is not None:
        assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_the_list_exports_as_csv(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings, inventory: dict[str, Any]
) -> None:
    tianjin: Org = inventory["tianjin"]
    response = await listing_client.get(
        URL, params={"format": "csv"}, headers=tianjin.headers(listing_settings)
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert tianjin.uscc in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r["application_number"] for r in rows] == sorted(
        inventory[k] for k in ("willing", "not_willing", "undecided")
    )
    willing = next(r for r in rows if r["application_number"] == inventory["willing"])
    assert (willing["intended_modes"], willing["evaluated"], willing["tier"]) == (
        "transfer;open_license",
        "true",
        "A",
    )
    assert willing["institution_name"] == "天津大学"
    by_accept = await listing_client.get(
        URL,
        params={"tier": "A"},
        headers={**tianjin.headers(listing_settings), "Accept": "text/csv"},
    )
    assert by_accept.content.decode().count("\r\n") == 2  # the header and the tier-A patent
