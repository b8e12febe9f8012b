"""Relevance-sorted catalogue search through listing's API, on the real stack: the
engine's order, filters, matched terms, paging, bad input, the feed and the rebuild."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.db.engine import asyncpg_dsn
from shared.http.pagination import encode_cursor
from tests.listing.test_search import register, token
from tests.support.stack import OPERATOR_SCOPES, eventually, org

SEARCH = "/v1/search/patents"


async def found(
    client: httpx.AsyncClient, headers: dict[str, str], count: int, **params: Any
) -> list[dict[str, Any]] | None:
    """The hits once the index holds ``count`` of them (it follows the catalogue)."""
    response = await client.get(SEARCH, params=params, headers=headers)
    if response.status_code == 503:  # the index is still being built from the catalogue
        assert response.headers["retry-after"]
        return None
    assert response.status_code == 200, response.text
    hits: list[dict[str, Any]] = response.json()["items"]
    return hits if len(hits) == count else None


async def test_relevance_orders_by_bm25_and_substring_and_filters(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    tag = token()
    owner = org(OrgType.UNIVERSITY, "清华大学")
    headers = owner.headers(listing_settings)

    async def patent(title: str, abstract: str, **facts: Any) -> str:
        return await register(
            listing_client, listing_settings, owner, title=tag + title, abstract=abstract, **facts
        )

    # Same length; the first says 锂电池 three times, the second once; the third says it
    # once in a longer text; the fourth has 电池 but not 锂电池.
    thrice = await patent("锂电池检测锂电池", "锂电池的健康状态", region_code="440305")
    once = await patent("锂电池检测装置甲", "一种用于健康状态", ipc_codes=["G01R 31/36"])
    longer = await patent(
        "锂电池检测装置甲",
        "一种用于健康状态的检测装置，包括壳体、支架、底座、电路板、显示屏和控制模块",
    )
    other = await patent("电池检测装置乙", "一种用于健康状态")

    hits = await eventually(lambda: found(listing_client, headers, 3, q=f"{tag} 锂电池"))
    assert [h["application_number"] for h in hits] == [thrice, once, longer]
    assert hits[0]["score"] > hits[1]["score"] > hits[2]["score"] > 0
    # The keywords, and the query's words the text holds (for highlighting).
    assert {tag, "锂电池", "电池"} <= set(hits[0]["matched_terms"])
    assert hits[0]["matched_terms"][:2] == [tag, "锂电池"]

    # Every keyword must occur as a substring, across word boundaries too (池检).
    everything = await found(listing_client, headers, 4, q=f"{tag} 池检")
    assert everything is not None
    assert {h["application_number"] for h in everything} == {thrice, once, longer, other}
    assert await found(listing_client, headers, 0, q=f"{tag} 锂电池 装置乙") == []

    # Filters narrow the candidates and leave the order alone.
    async def numbers(**params: Any) -> list[str]:
        response = await listing_client.get(SEARCH, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [h["application_number"] for h in response.json()["items"]]

    assert await numbers(q=f"{tag} 锂电池", region="44") == [thrice]
    assert await numbers(q=f"{tag} 锂电池", ipc="G01R") == [once]
    assert await numbers(q=f"{tag} 锂电池", ipc=["G01R", "H01M"]) == [thrice, once, longer]
    assert await numbers(q=f"{tag} 锂电池", unexploited="false") == [thrice, once, longer]
    assert await numbers(q=f"{tag} 锂电池", unexploited="true") == []
    assert await numbers(q=f"{tag} 锂电池", price_min="1") == []  # none is offered
    # The other orders stay available, from the catalogue.
    assert await numbers(q=f"{tag} 锂电池", sort="newest") != []

    # Paging by cursor: one hit a page, the same order, each hit once.
    pages: list[str] = []
    params: dict[str, Any] = {"q": f"{tag} 池检", "limit": 1}
    for _ in range(6):
        body = (await listing_client.get(SEARCH, params=params, headers=headers)).json()
        pages += [h["application_number"] for h in body["items"]]
        if not body["next_cursor"]:
            break
        params["cursor"] = body["next_cursor"]
    assert pages == [h["application_number"] for h in everything]

    # A cursor from another query (other keywords, another sort) is refused.
    first = await listing_client.get(SEARCH, params={**params, "cursor": None}, headers=headers)
    cursor = first.json()["next_cursor"]
    for other_query in ({"q": f"{tag} 锂电池"}, {"q": f"{tag} 池检", "sort": "newest"}):
        refused = await listing_client.get(
            SEARCH, params={**other_query, "cursor": cursor}, headers=headers
        )
        assert refused.status_code == 400, refused.text
        assert refused.json()["type"].endswith("/cursor-for-another-query")
        assert refused.json()["parameter"] == "cursor"


async def test_bad_input_is_a_problem_naming_the_parameter(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    headers = org(OrgType.ENTERPRISE, "某公司").headers(listing_settings)
    deep = encode_cursor({"f": "0" * 16, "o": 10_001})
    cases: list[tuple[dict[str, Any], int, str, str]] = [
        ({"q": ""}, 422, "search-query-invalid", "q"),
        ({"q": "   "}, 422, "search-query-invalid", "q"),
        ({"q": "，。！？…"}, 422, "search-query-invalid", "q"),
        ({"q": "电池" * 500}, 422, "validation-error", "query.q"),
        ({"colour": "red"}, 422, "validation-error", "query.colour"),
        ({"sort": "relevance"}, 422, "search-query-invalid", "sort"),
        (
            {"q": "电池", "price_min": "9", "price_max": "1"},
            422,
            "search-query-invalid",
            "price_min",
        ),
        ({"q": "电池", "cursor": deep}, 422, "invalid-cursor", "o"),
    ]
    for params, status, problem, names in cases:
        response = await listing_client.get(SEARCH, params=params, headers=headers)
        assert response.status_code == status, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["type"].endswith("/" + problem), response.text
        named = body.get("parameter") or body.get("detail", "")
        assert names in named or names in str(body.get("errors")), response.text
    # Only ASCII is a search like any other.
    ascii_only = await listing_client.get(SEARCH, params={"q": "lidar"}, headers=headers)
    assert ascii_only.status_code == 200, ascii_only.text


async def test_a_transaction_that_commits_late_still_reaches_the_index(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    # The early transaction takes its id first and commits after a later one: the
    # follower reads only below the oldest transaction still running, so it waits for
    # the early one instead of passing it by, and both rows reach the index.
    tag = token()
    owner = org(OrgType.UNIVERSITY, "复旦大学")
    headers = owner.headers(listing_settings)
    early_row = await register(listing_client, listing_settings, owner, title=f"{tag}甲")
    late_row = await register(listing_client, listing_settings, owner, title=f"{tag}乙")
    retitle = "UPDATE patents SET title = $2 WHERE application_number = $1"
    dsn = asyncpg_dsn(listing_settings.database_url)
    early, late = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    try:
        early_tx = early.transaction()
        await early_tx.start()
        await early.execute(retitle, early_row, f"{tag}早起")
        early_xid = await early.fetchval("SELECT pg_current_xact_id()::text::bigint")
        await late.execute(retitle, late_row, f"{tag}晚到")
        late_xid = await late.fetchval(
            "SELECT search_xid FROM patents WHERE application_number = $1", late_row
        )
        assert late_xid > early_xid
        await asyncio.sleep(0.3)  # the follower was woken (NOTIFY) and read what it may
        assert await found(listing_client, headers, 0, q=f"{tag}晚到") == []
        await early_tx.commit()
    finally:
        await early.close()
        await late.close()
    for title, number in ((f"{tag}早起", early_row), (f"{tag}晚到", late_row)):
        hits = await eventually(lambda t=title: found(listing_client, headers, 1, q=t))
        assert hits[0]["application_number"] == number


async def test_the_operator_rebuilds_the_index_and_search_goes_on(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    tag = token()
    owner = org(OrgType.UNIVERSITY, "武汉大学")
    headers = owner.headers(listing_settings)
    number = await register(listing_client, listing_settings, owner, title=f"{tag}储能")
    refused = await listing_client.post("/v1/search/index/rebuild", headers=headers)
    assert refused.status_code == 403, refused.text
    operator = org(OrgType.OPERATOR, "平台运营方").headers(listing_settings, OPERATOR_SCOPES)
    started = await listing_client.post("/v1/search/index/rebuild", headers=operator)
    assert started.status_code == 202, started.text
    assert started.json() == {"indexes": ["patents", "supply_listings", "demands"]}
    # Served by the old index meanwhile, by the new one after the swap: always found.
    for _ in range(3):
        hits = await eventually(lambda: found(listing_client, headers, 1, q=tag))
        assert hits[0]["application_number"] == number


async def test_the_feed_marks_each_write_and_a_patent_s_facts_touch_its_listings(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    number = await register(listing_client, listing_settings, owner, title=f"{token()}储能")
    listed = await listing_client.post(
        "/v1/supply-listings",
        json={
            "application_number": number,
            "kind": "transfer",
            "title": "储能专利转让",
            "contact": "技术转移中心 王老师",
        },
        headers=owner.headers(listing_settings),
    )
    assert listed.status_code == 201, listed.text
    listing_id = listed.json()["id"]
    conn = await asyncpg.connect(asyncpg_dsn(listing_settings.database_url))
    notified: list[str] = []
    await conn.add_listener("listing_search", lambda *args: notified.append(args[3]))
    xid_of = "SELECT search_xid FROM supply_listings WHERE id = $1"
    try:
        before = await conn.fetchval(xid_of, listing_id)
        assert before > 0
        # A change that is not a filterable fact leaves the listing alone...
        await conn.execute(
            "UPDATE patents SET title = title || '系统' WHERE application_number = $1", number
        )
        assert await conn.fetchval(xid_of, listing_id) == before
        # ...a new fact is the listing's too: it is fed again.
        await conn.execute(
            "UPDATE patents SET facet_keys = facet_keys || '{region:44}'::varchar[]"
            " WHERE application_number = $1",
            number,
        )
        assert await conn.fetchval(xid_of, listing_id) > before
        await eventually(lambda: {"patents", "supply_listings"} <= set(notified))
    finally:
        await conn.close()
