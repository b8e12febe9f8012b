"""Matching's view of listing's patents, kept from listing's events."""

from __future__ import annotations

import asyncpg
import httpx

from listing.config import ListingSettings
from matching.config import MatchingSettings
from shared.auth import OrgType
from shared.db.engine import asyncpg_dsn
from tests.listing.factories import patent_body
from tests.support.stack import OPERATOR_SCOPES, eventually, org


async def _fetch(settings: MatchingSettings, query: str, *args: object) -> asyncpg.Record | None:
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        return await conn.fetchrow(query, *args)
    finally:
        await conn.close()


async def _patent_row(settings: MatchingSettings, number: str) -> asyncpg.Record | None:
    return await _fetch(settings, "SELECT * FROM patents WHERE application_number = $1", number)


async def test_a_registered_patent_and_its_status_reach_the_view_and_the_matcher(
    matching_client: httpx.AsyncClient,
    matching_listing_client: httpx.AsyncClient,
    matching_settings: MatchingSettings,
    matching_listing_settings: ListingSettings,
) -> None:
    university = org(OrgType.UNIVERSITY, "清华大学")
    operator = org(OrgType.OPERATOR, "平台运营方")
    body = patent_body(university)
    response = await matching_listing_client.post(
        "/v1/patents",
        json=body,
        headers=operator.headers(matching_listing_settings, scopes=OPERATOR_SCOPES),
    )
    assert response.status_code == 201, response.text
    number = body["application_number"]

    published = response.json()

    row = await eventually(lambda: _patent_row(matching_settings, number))
    assert row["title"] == body["title"]
    assert row["industry_codes"] == published["industry_codes"] != []
    assert row["institution_uscc"] == university.uscc
    assert row["valid"] is True
    assert row["revision"] == 1

    # The matcher took it from the queue and segmented its text once.
    async def segmented() -> list[str] | None:
        row = await _patent_row(matching_settings, number)
        return row["tokens"] if row is not None else None

    tokens = await eventually(segmented)
    assert "锂离子" in tokens, tokens
    assert "检测" in tokens, tokens

    lapsed = await matching_listing_client.patch(
        f"/v1/patents/{number}/status",
        json={"legal_status": "lapsed", "reason": "年费滞纳期满未缴"},
        headers=operator.headers(matching_listing_settings, scopes=OPERATOR_SCOPES),
    )
    assert lapsed.status_code == 200, lapsed.text

    async def invalid() -> bool:
        row = await _patent_row(matching_settings, number)
        return row is not None and row["valid"] is False

    await eventually(invalid)
