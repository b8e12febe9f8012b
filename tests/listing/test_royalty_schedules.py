"""A running royalty's declared reporting schedule through the HTTP API on the real stack:
announced with the terms of every version, refused with the field named when it is
wrong or when the terms have no royalty, and absent (not guessed) when not declared."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.db.engine import create_engine
from shared.events import topics
from tests.listing.factories import declaration_body
from tests.listing.test_declarations import assert_refused, declare, register
from tests.support.stack import Org, org, read_topic

QUARTERLY = {"period": "quarterly", "due_days_after_period": 45}
SEMIANNUAL = {"period": "semiannual", "due_days_after_period": 60}
ANNUAL_0331 = {"period": "annual", "annual_due": "03-31"}


async def published_terms(
    settings: ListingSettings, declaration_id: str, count: int
) -> list[dict[str, Any]]:
    """The terms of the first ``count`` versions listing announced, in order."""

    def announcements(events: list[Any]) -> list[Any]:
        return [
            e
            for e in events
            if e.type.endswith("declaration.published.v1")
            and e.data["declaration_id"] == declaration_id
        ]

    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: len(announcements(es)) >= count,
    )
    found = sorted(announcements(events), key=lambda e: e.data["terms_version"])
    return [e.data["terms"] for e in found]


async def test_the_declared_schedule_is_announced_with_each_terms_version(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "电子科技大学")
    headers = owner.headers(listing_settings)
    number = await register(listing_client, listing_settings, owner)
    body = declaration_body(
        number,
        payment_schedule="每季度结束后45日内按该季度净销售额报告并支付",
        royalty_schedule=QUARTERLY,
    )
    announced = await declare(listing_client, listing_settings, owner, body)
    assert announced.status_code == 200, announced.text
    declaration = announced.json()
    assert declaration["terms"]["royalty_schedule"] == {**QUARTERLY, "annual_due": None}
    url = f"/v1/declarations/{declaration['id']}"

    semiannual = {
        **body["terms"],
        "payment_mode": "entry_fee_plus_royalty",
        "entry_fee": "80000.00",
        "payment_schedule": "入门费于许可生效时支付；提成费每半年结束后60日内支付",
        "royalty_schedule": SEMIANNUAL,
    }
    changed = await listing_client.put(f"{url}/terms", json=semiannual, headers=headers)
    assert changed.status_code == 200, changed.text
    annual = {**body["terms"], "royalty_schedule": ANNUAL_0331}
    assert (
        await listing_client.put(f"{url}/terms", json=annual, headers=headers)
    ).status_code == 200
    undeclared = {k: v for k, v in body["terms"].items() if k != "royalty_schedule"}
    assert (
        await listing_client.put(f"{url}/terms", json=undeclared, headers=headers)
    ).status_code == 200

    current = (await listing_client.get(url, headers=headers)).json()
    assert current["terms_version"] == 4
    assert current["terms"]["royalty_schedule"] is None
    versions = await published_terms(listing_settings, declaration["id"], 4)
    assert [v.get("royalty_schedule") for v in versions] == [
        {**QUARTERLY, "annual_due": None},
        {**SEMIANNUAL, "annual_due": None},
        {"period": "annual", "due_days_after_period": None, "annual_due": "03-31"},
        None,
    ]
    assert versions[1]["payment_schedule"] == semiannual["payment_schedule"]


@pytest.mark.parametrize(
    ("schedule", "field", "message"),
    [
        ({"period": "weekly", "due_days_after_period": 7}, "period", "annual"),
        ({"period": "quarterly", "due_days_after_period": 0}, "due_days_after_period", "1"),
        ({"period": "monthly", "due_days_after_period": 181}, "due_days_after_period", "180"),
        ({"period": "monthly", "due_days_after_period": "30"}, "due_days_after_period", "int"),
        ({"period": "annual", "annual_due": "3-31"}, "annual_due", "pattern"),
        (
            {"period": "annual", "annual_due": "03-31", "grace_days": 5},
            "grace_days",
            "not permitted",
        ),
    ],
)
async def test_malformed_schedule_values_are_refused_naming_the_field(
    listing_client: httpx.AsyncClient,
    listing_settings: ListingSettings,
    schedule: dict[str, Any],
    field: str,
    message: str,
) -> None:
    owner = org(OrgType.UNIVERSITY, "四川大学")
    number = await register(listing_client, listing_settings, owner)
    response = await listing_client.post(
        "/v1/declarations",
        json=declaration_body(number, royalty_schedule=schedule),
        headers=owner.headers(listing_settings),
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"].endswith("/validation-error"), problem
    [error] = problem["errors"]
    assert error["field"] == f"body.terms.royalty_schedule.{field}", problem
    assert message in error["message"], problem


@pytest.mark.parametrize(
    ("schedule", "field", "words"),
    [
        ({"period": "quarterly"}, "due_days_after_period", ["needs a due rule"]),
        (
            {"period": "quarterly", "annual_due": "03-31"},
            "annual_due",
            ["annual periods only", "quarterly"],
        ),
        (
            {"period": "annual", "annual_due": "03-31", "due_days_after_period": 30},
            "annual_due",
            ["not both"],
        ),
        ({"period": "annual", "annual_due": "02-29"}, "annual_due", ["02-29", "02-28 or 03-01"]),
        ({"period": "annual", "annual_due": "04-31"}, "annual_due", ["'04-31'", "not a day"]),
    ],
)
async def test_inconsistent_schedules_are_refused_by_their_own_rule(
    listing_client: httpx.AsyncClient,
    listing_settings: ListingSettings,
    schedule: dict[str, Any],
    field: str,
    words: list[str],
) -> None:
    owner = org(OrgType.UNIVERSITY, "重庆大学")
    number = await register(listing_client, listing_settings, owner)
    response = await listing_client.post(
        "/v1/declarations",
        json=declaration_body(number, royalty_schedule=schedule),
        headers=owner.headers(listing_settings),
    )
    assert_refused(response, "declaration-royalty-schedule-invalid", *words)
    assert response.json()["field"] == f"royalty_schedule.{field}"


async def test_a_schedule_on_terms_without_a_running_royalty_is_refused(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "西安交通大学")
    headers = owner.headers(listing_settings)
    number = await register(listing_client, listing_settings, owner)
    lump_sum = {
        "payment_mode": "lump_sum",
        "lump_sum_fee": "50000.00",
        "royalty_schedule": ANNUAL_0331,
        "term_start": "2026-01-01",
        "term_end": "2030-12-31",
    }
    free = {**lump_sum, "payment_mode": "free", "lump_sum_fee": None}
    for terms in (lump_sum, free):
        body = {**declaration_body(number), "terms": terms}
        refused = await listing_client.post("/v1/declarations", json=body, headers=headers)
        assert_refused(
            refused,
            "declaration-terms-incomplete",
            f"payment_mode {terms['payment_mode']} takes no royalty_schedule",
            "running_royalty",
        )
        assert refused.json()["field"] == "royalty_schedule"

    declaration = await declare(listing_client, listing_settings, owner, declaration_body(number))
    assert declaration.status_code == 200, declaration.text
    changed = await listing_client.put(
        f"/v1/declarations/{declaration.json()['id']}/terms", json=lump_sum, headers=headers
    )
    assert_refused(changed, "declaration-terms-incomplete", "takes no royalty_schedule")


async def test_terms_versions_stored_before_schedules_existed_still_read_and_change(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner: Org = org(OrgType.UNIVERSITY, "哈尔滨工业大学")
    headers = owner.headers(listing_settings)
    number = await register(listing_client, listing_settings, owner)
    declaration = (
        await declare(listing_client, listing_settings, owner, declaration_body(number))
    ).json()
    engine = create_engine(listing_settings.database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE declaration_terms SET terms = terms - 'royalty_schedule' "
                    "WHERE declaration_id = :id"
                ),
                {"id": declaration["id"]},
            )
    finally:
        await engine.dispose()
    url = f"/v1/declarations/{declaration['id']}"
    old = await listing_client.get(url, headers=headers)
    assert old.status_code == 200, old.text
    assert old.json()["terms"]["royalty_schedule"] is None
    assert old.json()["terms"]["payment_schedule"] == "每年3月31日前按上一年度净销售额支付"
    changed = await listing_client.put(
        f"{url}/terms",
        json={**declaration_body(number)["terms"], "royalty_schedule": ANNUAL_0331},
        headers=headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["terms"]["royalty_schedule"]["annual_due"] == "03-31"
