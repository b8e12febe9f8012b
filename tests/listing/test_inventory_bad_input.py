"""Bad input to a patent's inventory found by fuzzing: each is a problem+json 422 naming
the field and the rule, and nothing is stored."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from listing.config import ListingSettings
from shared.auth import OrgType
from tests.listing.test_inventory import evaluation_body, inventoried, inventory_body
from tests.support.stack import org


def refused(response: httpx.Response, field: str, code: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)], errors


@pytest.mark.parametrize(
    "evaluated_at",
    # Within the calendar as written, outside it in UTC: no datetime holds the instant.
    ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"],
)
async def test_an_evaluation_time_outside_the_range_of_instants_is_422(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings, evaluated_at: str
) -> None:
    owner = org(OrgType.UNIVERSITY, "兰州大学")
    headers = owner.headers(listing_settings)
    number = await inventoried(listing_client, listing_settings, owner)
    url = f"/v1/patents/{number}/evaluations"
    body = evaluation_body(7, 4, evaluated_at=evaluated_at)
    response = await listing_client.post(url, json=body, headers=headers)
    refused(response, "body.evaluated_at", "datetime_range")
    assert "years 1 to 9999 in UTC" in response.json()["errors"][0]["message"]
    assert (await listing_client.get(url, headers=headers)).json()["items"] == []


async def test_an_evaluation_time_is_kept_in_utc(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "西北大学")
    number = await inventoried(listing_client, listing_settings, owner)
    body = evaluation_body(7, 4, evaluated_at="2026-03-02T08:00:00+08:00")
    response = await listing_client.post(
        f"/v1/patents/{number}/evaluations", json=body, headers=owner.headers(listing_settings)
    )
    assert response.status_code == 201, response.text
    assert response.json()["evaluated_at"] == "2026-03-02T00:00:00Z"


BLANK = "\u3000\u200b"  # an ideographic space and a zero-width space: nothing to read


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"inventors": [{"name": BLANK}]}, "body.inventors.0.name", "string_not_visible"),
        ({"inventors": [{"name": "王\a明"}]}, "body.inventors.0.name", "string_control_character"),
        ({"portfolios": [" "]}, "body.portfolios.0", "string_not_visible"),
    ],
)
async def test_an_inventory_record_naming_nobody_is_422(
    listing_client: httpx.AsyncClient,
    listing_settings: ListingSettings,
    overrides: dict[str, Any],
    field: str,
    code: str,
) -> None:
    owner = org(OrgType.UNIVERSITY, "云南大学")
    headers = owner.headers(listing_settings)
    number = await inventoried(listing_client, listing_settings, owner)
    url = f"/v1/patents/{number}/inventory"
    refused(
        await listing_client.put(url, json=inventory_body(**overrides), headers=headers),
        field,
        code,
    )
    kept = (await listing_client.get(url, headers=headers)).json()
    assert kept["inventors"] == [inventory_body()["inventors"][0]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"evaluator_person": BLANK}, "body.evaluator_person"),
        ({"prospects": "    "}, "body.prospects"),
        ({"application_scenarios": BLANK}, "body.application_scenarios"),
    ],
)
async def test_an_evaluation_by_nobody_or_about_nothing_is_422(
    listing_client: httpx.AsyncClient,
    listing_settings: ListingSettings,
    overrides: dict[str, Any],
    field: str,
) -> None:
    owner = org(OrgType.UNIVERSITY, "贵州大学")
    number = await inventoried(listing_client, listing_settings, owner)
    response = await listing_client.post(
        f"/v1/patents/{number}/evaluations",
        json={**evaluation_body(7, 4), **overrides},
        headers=owner.headers(listing_settings),
    )
    refused(response, field, "string_not_visible")


async def test_an_override_whose_reason_shows_nothing_is_422(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "广西大学")
    number = await inventoried(listing_client, listing_settings, owner)
    response = await listing_client.put(
        f"/v1/patents/{number}/tier/override",
        json={"tier": "A", "reason": BLANK * 3},
        headers=owner.headers(listing_settings),
    )
    refused(response, "body.reason", "string_not_visible")
