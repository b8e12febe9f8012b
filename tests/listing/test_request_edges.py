"""Inputs at the edge of listing's API that must be refused by name, never be a 500."""

from __future__ import annotations

from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from tests.listing.factories import patent_body
from tests.listing.test_market import demand_body
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
