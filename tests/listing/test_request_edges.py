"""Inputs at the edge of listing's API that must be refused by name, never be a 500."""

from __future__ import annotations

import json
from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from tests.listing.factories import patent_body
from tests.listing.test_market import demand_body
from tests.support.cursors import assert_crafted_cursors_refused
from tests.support.stack import application_number, org

PROBLEM = "application/problem+json"


async def test_a_nul_character_in_a_body_path_or_query_is_refused_by_name(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    # PostgreSQL cannot store U+0000 in text: each of these was a 500.
    owner = org(OrgType.UNIVERSITY, "清华大学")
    enterprise = org(OrgType.ENTERPRISE, "新能储能")
    patentee = {"name": "清华\x00大学", "uscc": owner.uscc, "share": "100"}
    cases: list[tuple[str, str, dict[str, Any], dict[str, str], str]] = [
        (
            "POST",
            "/v1/patents",
            {"json": patent_body(owner, title="专利\x00名称")},
            owner.headers(listing_settings),
            "body.title",
        ),
        (
            "POST",
            "/v1/patents",
            {"json": patent_body(owner, patentees=[patentee])},
            owner.headers(listing_settings),
            "body.patentees.0.name",
        ),
        (
            "POST",
            "/v1/demands",
            {"json": demand_body(title="专利\x00名称")},
            enterprise.headers(listing_settings),
            "body.title",
        ),
        (
            "GET",
            "/v1/declarations/a%00b",
            {},
            owner.headers(listing_settings),
            "path.declaration_id",
        ),
        ("GET", "/v1/demands/a%00b", {}, owner.headers(listing_settings), "path.demand_id"),
        (
            "GET",
            f"/v1/patents/{application_number()}%00/timeline",
            {},
            owner.headers(listing_settings),
            "path.application_number",
        ),
        (
            "GET",
            "/v1/search/patents",
            {"params": {"q": "电\x00池"}},
            owner.headers(listing_settings),
            "query.q",
        ),
    ]
    for method, url, kwargs, headers, field in cases:
        response = await listing_client.request(method, url, headers=headers, **kwargs)
        assert response.status_code == 422, (url, response.text)
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["type"].endswith("/validation-error")
        assert [e["field"] for e in problem["errors"]] == [field], (url, problem)
        assert "NUL" in problem["detail"]


async def test_a_lone_surrogate_in_a_body_is_refused_by_name(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    # JSON may escape a lone surrogate; UTF-8 cannot encode one, so it reached the database
    # (a 500), or failed the 422 that quoted it (a 500 too).
    owner = org(OrgType.UNIVERSITY, "清华大学")
    enterprise = org(OrgType.ENTERPRISE, "新能储能")
    pair = '"\\ud83d\\udd0b"'  # an escaped surrogate pair is one character: 🔋
    cases = [
        ("/v1/demands", enterprise, demand_body(title="TITLE"), '"专利\\ud800名称"', "body.title"),
        ("/v1/patents", owner, patent_body(owner, title="TITLE"), '"\\udfff"', "body.title"),
        (
            "/v1/supply-listings",
            owner,
            {
                "application_number": application_number(),
                "kind": "transfer",
                "title": "TITLE",
                "asking_price": "80000",
            },
            '"标题"',
            "body.asking_price",
        ),
    ]
    for url, who, body, title, field in cases:
        raw = json.dumps(body, ensure_ascii=False).replace('"TITLE"', title)
        if field == "body.asking_price":
            raw = raw.replace('"80000"', '"80000\\ud8000"')
        response = await listing_client.post(
            url,
            content=raw.encode(),
            headers={**who.headers(listing_settings), "Content-Type": "application/json"},
        )
        assert response.status_code == 422, (url, response.text)
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert [e["field"] for e in problem["errors"]] == [field], (url, problem)
        assert [e["code"] for e in problem["errors"]] == ["lone_surrogate"]
    fine = json.dumps(demand_body(title="TITLE")).replace('"TITLE"', pair)
    response = await listing_client.post(
        "/v1/demands",
        content=fine.encode(),
        headers={**enterprise.headers(listing_settings), "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "🔋"


async def test_a_crafted_cursor_is_refused_on_every_list(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    headers = org(OrgType.ENTERPRISE, "某公司").headers(listing_settings)
    for url in [
        "/v1/declarations",
        "/v1/demands",
        "/v1/supply-listings",
        "/v1/patents",
        f"/v1/patents/{application_number()}/timeline",
        "/v1/search/patents",
        "/v1/search/patents?sort=price_asc",
    ]:
        await assert_crafted_cursors_refused(listing_client, url, headers)


async def test_the_cursors_a_list_issues_page_through_it(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "武汉大学")
    headers = owner.headers(listing_settings)
    enterprise = org(OrgType.ENTERPRISE, "新能储能").headers(listing_settings)
    for _ in range(2):
        created = await listing_client.post("/v1/patents", json=patent_body(owner), headers=headers)
        assert created.status_code == 201, created.text
        demand = await listing_client.post("/v1/demands", json=demand_body(), headers=enterprise)
        assert demand.status_code == 201, demand.text
    # The catalogue's position (an application number) and the timestamped lists' one.
    for url in ["/v1/patents", "/v1/demands"]:
        first = (await listing_client.get(url, params={"limit": 1}, headers=headers)).json()
        assert first["next_cursor"], url
        second = await listing_client.get(
            url, params={"limit": 1, "cursor": first["next_cursor"]}, headers=headers
        )
        assert second.status_code == 200, second.text
        assert second.json()["items"] != first["items"], url


BLANKS = [
    "   ",
    "\u3000\u3000",  # ideographic spaces
    "\u200b\u200c\u200d\ufeff",  # zero-width space, non-joiner, joiner, byte order mark
    "\u200b \u3000\t",
    "\u3164",  # Hangul filler: a letter that shows nothing
]


async def test_a_title_or_name_that_shows_nothing_is_refused_by_name(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "复旦大学")
    enterprise = org(OrgType.ENTERPRISE, "新能储能")
    supply = {
        "application_number": application_number(),
        "kind": "transfer",
        "title": "固态电解质专利转让",
        "contact": "技术转移中心 王老师",
    }
    for blank in BLANKS:
        patentee = {"name": blank, "uscc": owner.uscc, "share": "100"}
        for url, body, headers, field in [
            ("/v1/demands", demand_body(title=blank), enterprise, "body.title"),
            ("/v1/demands", demand_body(description=blank), enterprise, "body.description"),
            ("/v1/demands", demand_body(contact=blank), enterprise, "body.contact"),
            ("/v1/patents", patent_body(owner, title=blank), owner, "body.title"),
            (
                "/v1/patents",
                patent_body(owner, patentees=[patentee]),
                owner,
                "body.patentees.0.name",
            ),
            ("/v1/supply-listings", {**supply, "title": blank}, owner, "body.title"),
            ("/v1/supply-listings", {**supply, "contact": blank}, owner, "body.contact"),
        ]:
            response = await listing_client.post(
                url, json=body, headers=headers.headers(listing_settings)
            )
            assert response.status_code == 422, (url, field, blank, response.text)
            problem = response.json()
            assert problem["type"].endswith("/validation-error")
            assert [(e["field"], e["code"]) for e in problem["errors"]] == [
                (field, "string_not_visible")
            ], problem
            assert "visible character" in problem["detail"]
