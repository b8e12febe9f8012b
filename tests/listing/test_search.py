"""Catalogue search through listing's API on the real stack."""

from __future__ import annotations

import random
from typing import Any

import asyncpg
import httpx
import pytest

from listing.api.catalogue import schemas as catalogue_schemas
from listing.api.search import schemas as search_schemas
from listing.config import ListingSettings
from listing.domain.search import PatentQuery, keywords, window_size
from listing.search import queries
from listing.search.queries import CatalogueSearch
from shared.auth import OrgType
from shared.db.engine import asyncpg_dsn
from tests.listing.factories import declaration_body, patent_body
from tests.support.stack import Org, application_number, eventually, org

# Rare characters, so this run's patents are told apart from every other test's.
_RARE = "鑫淼犇骉焱垚鍂燚磊晶森"


def token() -> str:
    return "".join(random.sample(_RARE, 3))


async def register(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, **overrides: Any
) -> str:
    body = patent_body(owner, application_number=application_number(2019, 1), **overrides)
    response = await client.post("/v1/patents", json=body, headers=owner.headers(settings))
    assert response.status_code == 201, response.text
    return str(response.json()["application_number"])


async def offer(client: httpx.AsyncClient, headers: dict[str, str], number: str, fee: str) -> None:
    """Declare an open licence for a lump sum of ``fee`` (free for "0") and submit it."""
    draft = await client.post(
        "/v1/declarations",
        json=declaration_body(
            number,
            payment_mode="lump_sum" if fee != "0" else "free",
            lump_sum_fee=fee if fee != "0" else None,
            royalty_base=None,
            royalty_rate=None,
        ),
        headers=headers,
    )
    assert draft.status_code == 201, draft.text
    submitted = await client.post(f"/v1/declarations/{draft.json()['id']}/submit", headers=headers)
    assert submitted.status_code == 200, submitted.text


async def search(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    """Hits in date order unless told otherwise: PostgreSQL answers at once (relevance
    comes from an index that follows the catalogue: test_search_relevance.py)."""
    params.setdefault("sort", "newest")
    response = await client.get("/v1/search/patents", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [hit["application_number"] for hit in response.json()["items"]]


async def test_keywords_match_as_substrings_with_filters(
    listing_client: httpx.AsyncClient,
    listing_settings: ListingSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tag = token()
    university = org(OrgType.UNIVERSITY, "华中科技大学")
    company = Org("enterprise-x", "武汉某储能科技有限公司", OrgType.ENTERPRISE, university.uscc)
    battery = await register(
        listing_client,
        listing_settings,
        university,
        title=f"{tag}锂电池热失控预警方法",
        abstract=None,
        ipc_codes=["H01M 10/48"],
        region_code="420111",
    )
    chip = await register(
        listing_client,
        listing_settings,
        university,
        title=f"{tag}存算一体芯片",
        abstract="一种基于ＡＩ加速的电池管理芯片。",
        ipc_codes=["G06N 3/063"],
        region_code="110108",
    )
    other = await register(
        listing_client,
        listing_settings,
        university,
        title=f"{tag}光伏组件清洗机器人",
        abstract="用于光伏电站的组件清洗。",
        ipc_codes=["H02S 40/10"],
        region_code="440305",
        patentees=[
            {"name": company.name, "uscc": company.uscc, "share": "100", "party_type": "enterprise"}
        ],
    )
    headers = university.headers(listing_settings)
    assert set(await search(listing_client, headers, q=f"{tag} 电池")) == {battery, chip}
    assert await search(listing_client, headers, q=f"{tag} 芯片 ai") == [chip]  # ＡＩ = ai
    assert await search(listing_client, headers, q=f"{tag} 热失控") == [battery]
    assert await search(listing_client, headers, q=f"{tag} 电池芯片") == []
    assert await search(listing_client, headers, q=f"{tag}", ipc="H01M") == [battery]
    assert await search(listing_client, headers, q=f"{tag}", ipc="G06N 3") == [chip]
    assert await search(listing_client, headers, q=f"{tag}", ipc="G06N 30") == []
    assert set(await search(listing_client, headers, q=tag, region=["42", "44"])) == {
        battery,
        other,
    }
    assert await search(listing_client, headers, q=tag, patentee_type="enterprise") == [other]
    # Industries (GB/T 4754) derived from IPC: H01M -> C384 电池制造, H02S -> C3825.
    assert await search(listing_client, headers, q=tag, industry="C384") == [battery]
    assert set(await search(listing_client, headers, q=tag, industry="C38")) == {battery, other}
    assert await search(listing_client, headers, q=tag, industry="I65") == [chip]
    assert await search(
        listing_client, headers, q=tag, region="11", patent_type="invention", status="valid"
    ) == [chip]

    # Newest filing first, two per page, every hit once.
    pages: list[str] = []
    params: dict[str, Any] = {"q": tag, "limit": 2, "sort": "newest"}
    while True:
        response = await listing_client.get("/v1/search/patents", params=params, headers=headers)
        body = response.json()
        pages += [hit["application_number"] for hit in body["items"]]
        if not body["next_cursor"]:
            break
        params["cursor"] = body["next_cursor"]
    assert sorted(pages) == sorted([battery, chip, other])
    assert len(pages) == 3

    # Both plans give the same pages: a window of one row leaves every page to the
    # index, the default window answers them from the rows in sort order.
    monkeypatch.setattr(queries, "window_size", lambda limit, rows: 1)
    assert await search(listing_client, headers, q=tag, limit=2) == pages[:2]
    assert set(await search(listing_client, headers, q=f"{tag} 电池")) == {battery, chip}


async def test_open_licence_offers_filter_and_sort_by_price(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    tag = token()
    owner = org(OrgType.UNIVERSITY, "中南大学")
    headers = owner.headers(listing_settings)
    prices = {}
    for fee in ("80000", "20000", "0"):
        number = await register(
            listing_client, listing_settings, owner, title=f"{tag}粉末冶金高熵合金制备方法"
        )
        await offer(listing_client, headers, number, fee)
        prices[fee] = number
    unoffered = await register(listing_client, listing_settings, owner, title=f"{tag}粉末冶金模具")
    assert await search(listing_client, headers, q=tag, sort="price_asc") == [
        prices["0"],  # a free licence costs nothing up front
        prices["20000"],
        prices["80000"],
    ]
    # A bound of zero is a bound (not "no bound"): free offers only, or every priced one.
    assert await search(listing_client, headers, q=tag, price_max="0") == [prices["0"]]
    assert await search(listing_client, headers, q=tag, price_min="0", sort="price_asc") == [
        prices["0"],
        prices["20000"],
        prices["80000"],
    ]
    assert await search(
        listing_client, headers, q=tag, payment_mode="lump_sum", price_max="50000"
    ) == [prices["20000"]]
    hits = (
        await listing_client.get(
            "/v1/search/patents", params={"q": tag, "price_min": "50000"}, headers=headers
        )
    ).json()["items"]
    assert [(h["offer_payment_mode"], h["offer_price"]) for h in hits] == [("lump_sum", "80000.00")]
    assert unoffered in await search(listing_client, headers, q=f"{tag} 模具")


async def test_bad_queries_are_refused_with_what_is_wrong(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    headers = org(OrgType.ENTERPRISE, "某公司").headers(listing_settings)
    cases = [
        ({"q": "电"}, "search-query-invalid", "at least 2 characters"),
        ({"ipc": "Z99"}, "search-query-invalid", "IPC"),
        ({"region": "4"}, "validation-error", "region"),
        ({"sort": "random"}, "validation-error", "sort"),
        ({"price_min": "-5"}, "validation-error", "price_min"),
        ({"colour": "red"}, "validation-error", "colour"),
        ({"cursor": "not-a-cursor"}, "invalid-cursor", "cursor"),
    ]
    for params, problem, says in cases:
        response = await listing_client.get("/v1/search/patents", params=params, headers=headers)
        assert response.status_code in (400, 422), (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/" + problem), response.text
        assert says in response.text
    assert (await listing_client.get("/v1/search/patents")).status_code == 401


def test_the_window_grows_with_the_square_root_of_the_catalogue() -> None:
    # Large enough for a common term's first page, small enough to cost little when
    # the term is rare; a statement text per 250 rows (its plan is prepared once).
    assert window_size(20, 1_000_000) == 4500  # sqrt(20 x 10^6) = 4472
    assert window_size(20, 20_000) == 750  # 632
    assert window_size(100, 10_000_000) == 31750  # 31623
    assert window_size(20, 0) == window_size(20, -1) == 250  # never analysed: -1


async def test_a_query_whose_window_fell_short_goes_to_the_index_for_a_while(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    tag = token()
    owner = org(OrgType.UNIVERSITY, "南京大学")
    number = await register(
        listing_client, listing_settings, owner, title=f"{tag}气体传感器", abstract=None
    )
    pool = await asyncpg.create_pool(
        asyncpg_dsn(listing_settings.database_url), min_size=1, max_size=1
    )
    sent: list[str] = []

    class Recording:
        """A pool, remembering which plan each search statement took, and checking it
        came to the right pool (the window plans once, the index for its values)."""

        def __init__(self, plan: str) -> None:
            self.plan = plan

        async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
            took = "window" if "window_rows" in sql else "index"
            assert took == self.plan, f"the {took} statement went to the {self.plan} pool"
            sent.append(took)
            return await pool.fetch(sql, *args)

        async def fetchval(self, sql: str, *args: Any) -> Any:
            return await pool.fetchval(sql, *args)

    def recording_search() -> CatalogueSearch:
        return CatalogueSearch(Recording("window"), Recording("index"))  # type: ignore[arg-type]

    try:
        query = PatentQuery(keywords=keywords(tag))
        remembering = recording_search()
        for _ in range(3):
            assert [r["application_number"] for r in await remembering.search(query)] == [number]
        assert sent == ["window", "index", "index", "index"]

        sent.clear()
        forgetting = recording_search()
        forgetting.index_first_ttl_s = 0.0
        for _ in range(2):
            assert [r["application_number"] for r in await forgetting.search(query)] == [number]
        assert sent == ["window", "index", "window", "index"]
    finally:
        await pool.close()


async def test_every_hit_is_the_published_schema_and_the_patent_itself(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    # PostgreSQL writes each hit's JSON and each patent's (search.queries.HIT_JSON,
    # PUBLIC_COLUMNS): hold them to PatentHit and PatentPublic, and each hit to what
    # GET /v1/patents/{n} says of the same patent, over every kind of value.
    tag = token()
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    headers = owner.headers(listing_settings)
    shared_owners = await register(
        listing_client,
        listing_settings,
        owner,
        title=f"{tag}“双碳”背景下的储能电站调度方法",
        abstract=None,
        region_code=None,
        ipc_codes=["H02J 3/32", "G06Q 50/06"],
        patentees=[
            {"name": owner.name, "uscc": owner.uscc, "share": "60.5", "party_type": "university"},
            {"name": "张三", "uscc": None, "share": "39.5", "party_type": "individual"},
        ],
    )
    offered = await register(listing_client, listing_settings, owner, title=f"{tag}储能变流器")
    await offer(listing_client, headers, offered, "20000")

    async def both_pages(sort: str) -> list[dict[str, Any]] | None:
        params = {"q": tag, "limit": 1, "sort": sort}
        response = await listing_client.get("/v1/search/patents", params=params, headers=headers)
        assert response.headers["content-type"] == "application/json"
        first = response.json()
        if not first["next_cursor"]:
            return None  # the relevance index has not caught up with both yet
        params = {"q": tag, "sort": sort, "cursor": first["next_cursor"]}
        second = await listing_client.get("/v1/search/patents", params=params, headers=headers)
        assert second.json()["next_cursor"] is None
        found: list[dict[str, Any]] = first["items"] + second.json()["items"]
        return found if len(found) == 2 else None

    for sort in ("newest", "relevance"):
        hits = await eventually(lambda sort=sort: both_pages(sort))
        assert {h["application_number"] for h in hits} == {shared_owners, offered}
        for hit in hits:
            shown = search_schemas.PatentHit.model_validate(hit)
            assert shown.model_dump(mode="json", exclude_unset=True) == hit
            if sort == "relevance":
                # The keyword, then whichever of its words jieba cut (rare characters).
                assert hit["matched_terms"][0] == tag
                assert all(term in tag for term in hit["matched_terms"])
                assert hit["score"] > 0
            else:
                assert "score" not in hit
                assert "matched_terms" not in hit
            patent = (
                await listing_client.get(
                    f"/v1/patents/{hit['application_number']}", headers=headers
                )
            ).json()
            assert (
                catalogue_schemas.PatentPublic.model_validate(patent).model_dump(mode="json")
                == patent
            )
            assert {k: v for k, v in hit.items() if k in patent} == {
                k: patent[k] for k in hit if k in patent
            }
    by_number = {h["application_number"]: h for h in hits}
    assert by_number[offered]["offer_payment_mode"] == "lump_sum"
    assert by_number[offered]["offer_price"] == "20000.00"
    assert by_number[shared_owners]["offer_price"] is None
    assert by_number[shared_owners]["region_code"] is None
    assert [p["share"] for p in by_number[shared_owners]["patentees"]] == ["60.5", "39.5"]


async def test_openapi_documents_every_search_parameter(
    listing_client: httpx.AsyncClient,
) -> None:
    # Search is served directly (listing.api.search.route.DirectRoute): the query string is
    # parsed in one validation (listing.api.search.query) and the token checked by the endpoint,
    # not by FastAPI. The documentation must still name every parameter a front end may
    # send, and the bearer token like every other endpoint's.
    spec = (await listing_client.get("/openapi.json")).json()
    operation = spec["paths"]["/v1/search/patents"]["get"]
    assert operation["security"] == [{"HTTPBearer": []}]
    assert (
        operation["security"]
        == spec["paths"]["/v1/patents/{application_number}"]["get"]["security"]
    )
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == set(search_schemas.PatentSearchParams.model_fields)
    assert all(p["in"] == "query" and not p["required"] for p in parameters.values())
    assert parameters["q"]["schema"]["examples"] == ["锂电池 检测"]
    sorts = parameters["sort"]["schema"]["anyOf"][0]["enum"]
    assert sorts == ["relevance", "newest", "oldest", "price_asc"]
    assert parameters["payment_mode"]["schema"]["items"]["enum"] == [
        "lump_sum",
        "running_royalty",
        "entry_fee_plus_royalty",
        "free",
    ]
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert "$ref" not in str(parameters)
