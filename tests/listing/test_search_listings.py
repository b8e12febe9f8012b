"""Search of supply listings and technical needs through listing's API on the real stack.

The package shares one catalogue, so every search here carries a keyword no other test
writes (:func:`token`): the results are exactly this test's listings.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx

from listing.api.search.listing_schemas import SupplyHit
from listing.config import ListingSettings
from shared.auth import OrgType
from tests.listing.factories import patent_body
from tests.listing.test_market import demand_body
from tests.support.stack import Org, eventually, org


def token() -> str:
    """Four random CJK characters: a keyword found nowhere else in the catalogue."""
    return "".join(chr(random.randrange(0x4E00, 0x9FA5)) for _ in range(4))


async def _patent(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, **over: Any
) -> str:
    created = await client.post(
        "/v1/patents", json=patent_body(owner, **over), headers=owner.headers(settings)
    )
    assert created.status_code == 201, created.text
    number: str = created.json()["application_number"]
    return number


async def _supply(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, number: str, **over: Any
) -> str:
    body = {
        "application_number": number,
        "kind": "transfer",
        "title": "专利转让",
        "contact": "王老师",
    }
    listed = await client.post(
        "/v1/supply-listings", json={**body, **over}, headers=owner.headers(settings)
    )
    assert listed.status_code == 201, listed.text
    listing_id: str = listed.json()["id"]
    return listing_id


async def _demand(client: httpx.AsyncClient, settings: ListingSettings, **over: Any) -> str:
    requester = org(OrgType.ENTERPRISE, "宁德某新能源科技有限公司")
    posted = await client.post(
        "/v1/demands", json=demand_body(**over), headers=requester.headers(settings)
    )
    assert posted.status_code == 201, posted.text
    demand_id: str = posted.json()["id"]
    return demand_id


async def _ids(
    client: httpx.AsyncClient, settings: ListingSettings, path: str, expected: int, **params: Any
) -> list[str]:
    """The ids the search finds once the index holds ``expected`` of them (it follows the
    committed rows a moment behind)."""
    reader = org(OrgType.ENTERPRISE, "某制造企业")
    found: list[str] = []

    async def indexed() -> bool:
        answer = await client.get(path, params=params, headers=reader.headers(settings))
        assert answer.status_code in (200, 503), answer.text
        found[:] = [h["id"] for h in answer.json()["items"]] if answer.status_code == 200 else []
        return len(found) >= expected

    await eventually(indexed)
    return found


async def test_supply_listings_rank_by_relevance_and_carry_their_matched_terms(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    word = token()
    owner = org(OrgType.UNIVERSITY, "华南理工大学")
    number = await _patent(listing_client, listing_settings, owner)
    # Twice in a short text, once in a short text, once in a long one: BM25 orders them.
    twice = await _supply(
        listing_client,
        listing_settings,
        owner,
        number,
        title=f"{word}电池专利转让",
        description=f"{word}工艺成熟",
    )
    long = await _supply(
        listing_client,
        listing_settings,
        owner,
        number,
        title="储能专利转让",
        description=f"{word}技术，" + "可用于储能电站电池簇在线监测与运维，已完成中试。" * 8,
    )
    once = await _supply(
        listing_client, listing_settings, owner, number, title=f"{word}专利许可", kind="license"
    )
    path = "/v1/search/supply-listings"
    assert await _ids(listing_client, listing_settings, path, 3, q=word) == [twice, once, long]

    reader = org(OrgType.ENTERPRISE, "某制造企业")
    page = await listing_client.get(
        path, params={"q": f"{word} 电池"}, headers=reader.headers(listing_settings)
    )
    hits = page.json()["items"]
    assert [h["id"] for h in hits] == [twice, long]
    assert word in hits[0]["matched_terms"]
    assert "电池" in hits[0]["matched_terms"]
    assert hits[0]["score"] > hits[1]["score"] > 0
    # A hit is the listing as GET shows it, with its relevance.
    shown = await listing_client.get(
        f"/v1/supply-listings/{twice}", headers=reader.headers(listing_settings)
    )
    assert set(hits[0]) == set(SupplyHit.model_fields)
    same = {k for k in shown.json() if k != "created_at"}
    assert {k: hits[0][k] for k in same} == {k: shown.json()[k] for k in same}
    # Newest first on request: the last published comes first.
    newest = await listing_client.get(
        path, params={"q": word, "sort": "newest"}, headers=reader.headers(listing_settings)
    )
    assert [h["id"] for h in newest.json()["items"]] == [once, long, twice]


async def test_every_supply_filter_narrows_to_the_listings_it_names(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    word = token()
    university = org(OrgType.UNIVERSITY, "中山大学")
    company = org(OrgType.ENTERPRISE, "深圳某科技有限公司")
    battery = await _patent(listing_client, listing_settings, university)
    chip = await _patent(
        listing_client,
        listing_settings,
        company,
        title="一种芯片封装结构",
        ipc_codes=["H01L 23/31"],
        region_code="440305",
        patentees=[
            {"name": company.name, "uscc": company.uscc, "share": "100", "party_type": "enterprise"}
        ],
    )
    a = await _supply(
        listing_client,
        listing_settings,
        university,
        battery,
        title=f"{word}电池检测",
        asking_price="300000",
        industry_codes=["C3841"],
    )
    b = await _supply(
        listing_client,
        listing_settings,
        company,
        chip,
        title=f"{word}芯片封装",
        asking_price="900000",
        kind="license",
        industry_codes=["C3973"],
    )
    path = "/v1/search/supply-listings"
    assert set(await _ids(listing_client, listing_settings, path, 2, q=word)) == {a, b}
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"ipc": "H01M"}, [a]),
        ({"ipc": "H01L 23"}, [b]),
        ({"industry": "C384"}, [a]),
        ({"region": "44"}, [b]),
        ({"region": "11"}, [a]),
        ({"kind": "license"}, [b]),
        ({"patentee_type": "university"}, [a]),
        ({"patent_type": "invention"}, [a, b]),
        ({"status": "valid"}, [a, b]),
        ({"price_min": "500000"}, [b]),
        ({"price_max": "500000"}, [a]),
        ({"price_min": "100000", "price_max": "300000"}, [a]),
        ({"tier": "A"}, []),
        ({"unexploited": "true"}, []),
    ]
    reader = org(OrgType.ENTERPRISE, "某制造企业")
    for extra, expected in cases:
        answer = await listing_client.get(
            path,
            params={"q": word, "sort": "newest", **extra},
            headers=reader.headers(listing_settings),
        )
        assert answer.status_code == 200, (extra, answer.text)
        got = [h["id"] for h in answer.json()["items"]]
        assert sorted(got) == sorted(expected), extra


async def test_demands_search_by_keyword_codes_region_and_budget(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    word = token()
    cold = await _demand(listing_client, listing_settings, title=f"{word}低温快充")
    solar = await _demand(
        listing_client,
        listing_settings,
        title=f"{word}组件清洗机器人",
        ipc_codes=["H02S 40/10"],
        industry_codes=["C3825"],
        region_code="320500",
        budget_min="100000",
        budget_max=None,
    )
    path = "/v1/search/demands"
    assert set(await _ids(listing_client, listing_settings, path, 2, q=word)) == {cold, solar}
    reader = org(OrgType.ENTERPRISE, "某制造企业")
    for extra, expected in [
        ({"ipc": "H02S"}, [solar]),
        ({"industry": "C38"}, [solar]),
        ({"region": "4403"}, [cold]),
        ({"price_min": "1000000"}, [cold]),
        ({"price_max": "150000"}, [solar]),
    ]:
        answer = await listing_client.get(
            path, params={"q": word, **extra}, headers=reader.headers(listing_settings)
        )
        assert answer.status_code == 200, (extra, answer.text)
        assert [h["id"] for h in answer.json()["items"]] == expected, extra


async def test_paging_by_cursor_never_repeats_and_a_cursor_belongs_to_its_query(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    word = token()
    made = {
        await _demand(listing_client, listing_settings, title=f"{word}需求{i}") for i in range(5)
    }
    path = "/v1/search/demands"
    await _ids(listing_client, listing_settings, path, 5, q=word)
    reader = org(OrgType.ENTERPRISE, "某制造企业")
    seen: list[str] = []
    params: dict[str, Any] = {"q": word, "limit": 2}
    cursor = None
    for _ in range(5):
        answer = await listing_client.get(
            path,
            params={**params, **({"cursor": cursor} if cursor else {})},
            headers=reader.headers(listing_settings),
        )
        seen += [h["id"] for h in answer.json()["items"]]
        cursor = answer.json()["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(made)
    first = await listing_client.get(path, params=params, headers=reader.headers(listing_settings))
    other = await listing_client.get(
        path,
        params={"q": f"{word} 需求", "limit": 2, "cursor": first.json()["next_cursor"]},
        headers=reader.headers(listing_settings),
    )
    assert other.status_code == 400
    assert other.json()["type"].endswith("/cursor-for-another-query")


async def test_bad_searches_are_refused_naming_the_parameter(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    reader = org(OrgType.ENTERPRISE, "某制造企业")
    for path in ("/v1/search/supply-listings", "/v1/search/demands"):
        for params, named in [
            ({"q": "   "}, "q"),
            ({"q": "锂" * 1000}, "q"),
            ({"q": "，。！？"}, "q"),
            ({"q": "电池", "colour": "red"}, "colour"),
            ({"price_min": "900", "price_max": "100"}, "price_min"),
            ({"sort": "relevance"}, "sort"),
            ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor"),
        ]:
            answer = await listing_client.get(
                path, params=params, headers=reader.headers(listing_settings)
            )
            assert answer.status_code == 422, (path, params, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert named in answer.text, (path, params, answer.text)
    # Inventory facts belong to patents: a need has none to filter by.
    tier = await listing_client.get(
        "/v1/search/demands", params={"tier": "A"}, headers=reader.headers(listing_settings)
    )
    assert tier.status_code == 422
    assert "tier" in tier.text
    # Only ASCII is a search like any other.
    ascii_only = await listing_client.get(
        "/v1/search/demands",
        params={"q": f"zz{uuid.uuid4().hex}"},
        headers=reader.headers(listing_settings),
    )
    assert ascii_only.status_code in (200, 503)
    assert ascii_only.json().get("items", []) == []


async def test_an_update_is_found_by_its_new_words_and_a_closed_listing_is_gone(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    before, after = token(), token()
    owner = org(OrgType.UNIVERSITY, "四川大学")
    number = await _patent(listing_client, listing_settings, owner)
    listing = await _supply(listing_client, listing_settings, owner, number, title=f"{before}转让")
    path = "/v1/search/supply-listings"
    assert await _ids(listing_client, listing_settings, path, 1, q=before) == [listing]
    updated = await listing_client.patch(
        f"/v1/supply-listings/{listing}",
        json={"title": f"{after}转让"},
        headers=owner.headers(listing_settings),
    )
    assert updated.status_code == 200, updated.text
    assert await _ids(listing_client, listing_settings, path, 1, q=after) == [listing]
    reader = org(OrgType.ENTERPRISE, "某制造企业")
    old = await listing_client.get(
        path, params={"q": before}, headers=reader.headers(listing_settings)
    )
    assert old.json()["items"] == []
    hit = (
        await listing_client.get(
            path, params={"q": after}, headers=reader.headers(listing_settings)
        )
    ).json()["items"][0]
    assert hit["version"] == 2

    closed = await listing_client.post(
        f"/v1/supply-listings/{listing}/close", json={}, headers=owner.headers(listing_settings)
    )
    assert closed.status_code == 200, closed.text

    async def gone() -> bool:
        answer = await listing_client.get(
            path, params={"q": after}, headers=reader.headers(listing_settings)
        )
        return answer.json()["items"] == []

    await eventually(gone)
