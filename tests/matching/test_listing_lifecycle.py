"""Matching's view of listing's demands and supply listings follows their updates and
closes."""

from __future__ import annotations

import asyncpg
import httpx

from listing.config import ListingSettings
from matching.config import MatchingSettings
from shared.auth import OrgType
from shared.db.engine import asyncpg_dsn
from tests.listing.test_market import demand_body
from tests.matching.test_catalogue import _patent_row
from tests.matching.test_matches import register
from tests.support.stack import eventually, org


async def _need(settings: MatchingSettings, need_id: str) -> asyncpg.Record | None:
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        return await conn.fetchrow("SELECT * FROM needs WHERE need_id = $1", need_id)
    finally:
        await conn.close()


async def test_an_updated_demand_is_recorded_again_and_a_closed_one_is_no_longer_open(
    matching_client: httpx.AsyncClient,
    matching_listing_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    matching_listing_settings: ListingSettings,
) -> None:
    requester = org(OrgType.ENTERPRISE, "新能储能")
    headers = requester.headers(matching_listing_settings)
    posted = await matching_listing_client.post("/v1/demands", json=demand_body(), headers=headers)
    assert posted.status_code == 201, posted.text
    need_id = posted.json()["id"]
    url = f"/v1/demands/{need_id}"
    assert (await _need_eventually(matching_settings, need_id))["open"] is True

    changed = await matching_listing_client.patch(
        url, json={"title": "储能电池低温热管理需求"}, headers=headers
    )
    assert changed.status_code == 200, changed.text

    async def retitled() -> asyncpg.Record | None:
        row = await _need(matching_settings, need_id)
        return row if row is not None and row["title"] == "储能电池低温热管理需求" else None

    assert (await eventually(retitled))["open"] is True

    closed = await matching_listing_client.post(f"{url}/close", json={}, headers=headers)
    assert closed.status_code == 200, closed.text

    async def shut() -> asyncpg.Record | None:
        row = await _need(matching_settings, need_id)
        return row if row is not None and not row["open"] else None

    assert (await eventually(shut))["title"] == "储能电池低温热管理需求"


async def _need_eventually(settings: MatchingSettings, need_id: str) -> asyncpg.Record:
    row: asyncpg.Record = await eventually(lambda: _need(settings, need_id))
    return row


async def test_a_patent_stays_listed_while_one_of_its_supply_listings_is_open(
    matching_client: httpx.AsyncClient,
    matching_listing_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    matching_listing_settings: ListingSettings,
) -> None:
    university = org(OrgType.UNIVERSITY, "清华大学")
    number = await register(matching_listing_client, matching_listing_settings, university)
    headers = university.headers(matching_listing_settings)
    ids = []
    for kind in ("transfer", "license"):
        listed = await matching_listing_client.post(
            "/v1/supply-listings",
            json={"application_number": number, "kind": kind, "title": "专利", "contact": "王老师"},
            headers=headers,
        )
        assert listed.status_code == 201, listed.text
        ids.append(listed.json()["id"])

    async def patent(listed: bool, open_ids: list[str]) -> asyncpg.Record | None:
        row = await _patent_row(matching_settings, number)
        if row is None or row["listed"] is not listed or sorted(row["listing_ids"]) != open_ids:
            return None
        return row

    await eventually(lambda: patent(True, sorted(ids)))
    for listing_id, still in ((ids[0], [ids[1]]), (ids[1], [])):
        closed = await matching_listing_client.post(
            f"/v1/supply-listings/{listing_id}/close", json={}, headers=headers
        )
        assert closed.status_code == 200, closed.text
        await eventually(lambda s=still: patent(bool(s), s))
