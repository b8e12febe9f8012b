"""Coverage figures (盘点覆盖率) through the API, on a database of their own so that the
national figures are exactly this known dataset's: a co-owned patent, a lapsed one, a
transfer out to an enterprise, a patent without a region, one imported in bulk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest

from listing.bulk.service import import_patents
from listing.config import ListingSettings
from listing.main import create_app
from shared.auth import OrgType
from shared.db.engine import asyncpg_dsn
from tests.listing.factories import patent_body
from tests.support.stack import (
    OPERATOR_SCOPES,
    Org,
    Stack,
    application_number,
    org,
    running_app,
    uscc,
)

UNIVERSITY = org(OrgType.UNIVERSITY, "中山大学")
INSTITUTE = org(OrgType.RESEARCH_INSTITUTE, "中国科学院广州能源研究所")
REGULATOR = org(OrgType.REGULATOR, "国家知识产权局")
OPERATOR = org(OrgType.OPERATOR, "平台运营方")
BUYER = {
    "name": "深圳某储能科技有限公司",
    "uscc": uscc("91440300"),
    "share": "100",
    "party_type": "enterprise",
}


@pytest.fixture(scope="module")
def settings(stack: Stack) -> ListingSettings:
    return stack.settings(ListingSettings)


@pytest.fixture(scope="module")
async def client(settings: ListingSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(settings)) as c:
        yield c


def holder(owner: Org, share: str = "100") -> dict[str, Any]:
    return {
        "name": owner.name,
        "uscc": owner.uscc,
        "share": share,
        "party_type": owner.org_type.value,
    }


async def register(client: httpx.AsyncClient, settings: ListingSettings, **kw: Any) -> str:
    body = patent_body(UNIVERSITY, application_number=application_number(2020, 1), **kw)
    response = await client.post("/v1/patents", json=body, headers=UNIVERSITY.headers(settings))
    assert response.status_code == 201, response.text
    return str(response.json()["application_number"])


# An institution evaluation the rule table tiers so (docs/inventory.md's worked examples:
# readiness, prospects).
EVALUATION_FOR_TIER = {"A": (8, 5), "B": (6, 3), "C": (5, 2)}


async def inventory(
    client: httpx.AsyncClient,
    settings: ListingSettings,
    number: str,
    owner: Org,
    *,
    tier: str | None,
) -> None:
    """Inventory the patent through the inventory API; with ``tier``, also evaluate it
    so that it is evaluated and tiered so."""
    headers = owner.headers(settings)
    recorded = await client.put(
        f"/v1/patents/{number}/inventory", json={"willingness": "willing"}, headers=headers
    )
    assert recorded.status_code in (200, 201), recorded.text
    if tier is None:
        return
    readiness, prospects = EVALUATION_FOR_TIER[tier]
    evaluated = await client.post(
        f"/v1/patents/{number}/evaluations",
        json={
            "kind": "institution",
            "evaluator_person": "王芳",
            "readiness_level": readiness,
            "application_scenarios": "储能电站",
            "prospects_score": prospects,
            "prospects": "有明确的应用场景",
        },
        headers=headers,
    )
    assert evaluated.status_code == 201, evaluated.text


@pytest.fixture(scope="module")
async def dataset(client: httpx.AsyncClient, settings: ListingSettings) -> dict[str, str]:
    operator = OPERATOR.headers(settings, OPERATOR_SCOPES)
    shenzhen = await register(client, settings, region_code="440305")
    co_owned = await register(
        client,
        settings,
        region_code="440106",
        patentees=[holder(UNIVERSITY, "60"), holder(INSTITUTE, "40")],
    )
    lapsed = await register(client, settings, region_code="110108")
    transferred = await register(client, settings, region_code="440305")
    no_region = await register(client, settings, region_code=None)
    lapse = await client.patch(
        f"/v1/patents/{lapsed}/status", json={"legal_status": "lapsed"}, headers=operator
    )
    assert lapse.status_code == 200, lapse.text
    moved = await client.post(
        f"/v1/patents/{transferred}/transfers",
        json={
            "patentees": [BUYER],
            "transfer_reference": "2026112000012345",
            "effective_date": "2026-11-20",
        },
        headers=operator,
    )
    assert moved.status_code == 200, moved.text
    # The operator's bulk import (COPY) writes the holdings in the same transaction.
    imported = application_number(2020, 1)
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        body = patent_body(INSTITUTE, application_number=imported, region_code="440305")
        report = await import_patents(conn, [body], registered_by="operator")
        assert report.imported == 1, report
    finally:
        await conn.close()
    await inventory(client, settings, shenzhen, UNIVERSITY, tier="A")
    await inventory(client, settings, co_owned, UNIVERSITY, tier=None)
    await inventory(client, settings, lapsed, UNIVERSITY, tier="B")
    await inventory(client, settings, imported, INSTITUTE, tier="C")
    return {"shenzhen": shenzhen, "co_owned": co_owned, "no_region": no_region}


def figures(body: dict[str, Any]) -> tuple[int, ...]:
    keys = ("valid", "inventoried", "evaluated", "tiered", "tier_a", "tier_b", "tier_c", "tier_d")
    return tuple(body[k] for k in keys)


async def test_an_institution_reads_its_own_figures_and_no_one_else_s(
    client: httpx.AsyncClient, settings: ListingSettings, dataset: dict[str, str]
) -> None:
    url = f"/v1/inventory/coverage/institutions/{UNIVERSITY.uscc}"
    own = await client.get(url, headers=UNIVERSITY.headers(settings))
    assert own.status_code == 200, own.text
    body = own.json()
    # Shenzhen, the co-owned one and the one without a region; not the lapsed one, not
    # the one transferred to an enterprise.
    assert figures(body) == (3, 2, 1, 1, 1, 0, 0, 0)
    assert body["name"] == UNIVERSITY.name
    assert body["inventoried_rate"] == "0.6667"
    institute = await client.get(
        f"/v1/inventory/coverage/institutions/{INSTITUTE.uscc}", headers=REGULATOR.headers(settings)
    )
    # The co-owned patent counts for each co-owner; the bulk-imported one is there.
    assert figures(institute.json()) == (2, 2, 1, 1, 0, 0, 1, 0)
    refused = await client.get(url, headers=INSTITUTE.headers(settings))
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert "coverage-not-yours" in refused.json()["type"]
    for path in ("", "/institutions", "/regions"):
        other = await client.get(
            f"/v1/inventory/coverage{path}", headers=UNIVERSITY.headers(settings)
        )
        assert other.status_code == 403, path


async def test_the_nation_and_its_regions_count_a_co_owned_patent_once(
    client: httpx.AsyncClient, settings: ListingSettings, dataset: dict[str, str]
) -> None:
    headers = REGULATOR.headers(settings)
    national = await client.get("/v1/inventory/coverage", headers=headers)
    assert national.status_code == 200, national.text
    assert figures(national.json()) == (4, 3, 2, 2, 1, 0, 1, 0)
    provinces = (await client.get("/v1/inventory/coverage/regions", headers=headers)).json()
    assert {p["region_code"]: figures(p) for p in provinces} == {
        "440000": (3, 3, 2, 2, 1, 0, 1, 0),
        None: (1, 0, 0, 0, 0, 0, 0, 0),
    }
    cities = await client.get(
        "/v1/inventory/coverage/regions", params={"province": "440000"}, headers=headers
    )
    assert {c["region_code"]: figures(c) for c in cities.json()} == {
        "440100": (1, 1, 0, 0, 0, 0, 0, 0),
        "440300": (2, 2, 2, 2, 1, 0, 1, 0),
    }
    city_as_province = await client.get(
        "/v1/inventory/coverage/regions", params={"province": "440300"}, headers=headers
    )
    assert city_as_province.status_code == 422
    assert "province" in city_as_province.json()["detail"]


async def test_figures_export_as_csv(
    client: httpx.AsyncClient, settings: ListingSettings, dataset: dict[str, str]
) -> None:
    headers = OPERATOR.headers(settings, OPERATOR_SCOPES)
    listed = await client.get(
        "/v1/inventory/coverage/institutions", params={"format": "csv"}, headers=headers
    )
    assert listed.status_code == 200, listed.text
    assert listed.headers["content-type"].startswith("text/csv")
    assert listed.content.startswith("\ufeff".encode())
    lines = listed.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("uscc,name,valid,inventoried,evaluated,tiered,tier_a")
    rows = {line.split(",")[0]: line.split(",")[1:6] for line in lines[1:]}
    assert rows == {
        UNIVERSITY.uscc: [UNIVERSITY.name, "3", "2", "1", "1"],
        INSTITUTE.uscc: [INSTITUTE.name, "2", "2", "1", "1"],
    }
    own = await client.get(
        f"/v1/inventory/coverage/institutions/{UNIVERSITY.uscc}",
        headers={**UNIVERSITY.headers(settings), "accept": "text/csv"},
    )
    assert own.headers["content-type"].startswith("text/csv")
    assert (
        own.content.decode("utf-8-sig")
        .splitlines()[1]
        .startswith(f"{UNIVERSITY.uscc},中山大学,3,2")
    )
    paged = await client.get(
        "/v1/inventory/coverage/institutions", params={"limit": 1}, headers=headers
    )
    first = paged.json()
    assert len(first["items"]) == 1
    assert first["next_cursor"]
    second = await client.get(
        "/v1/inventory/coverage/institutions",
        params={"limit": 1, "cursor": first["next_cursor"]},
        headers=headers,
    )
    assert [i["uscc"] for i in first["items"] + second.json()["items"]] == sorted(rows)
