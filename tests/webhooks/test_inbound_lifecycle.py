"""Listings that change and end, end to end: a platform updates and closes its listing by
signed inbound webhooks (another platform may not), the sweep closes listings past their
end date, and every other platform's receiver gets published, updated and closed in that
order through webhooks' delivery, also when its first deliveries failed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from listing.config import ListingSettings
from shared.clock import ControllableClock, move_clock
from tests.support.stack import Stack, application_number, eventually
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import Connected, deliveries_to, settled
from tests.webhooks.test_inbound import (  # noqa: F401 (fixtures)
    demand,
    listing_url,
    platforms,
    signed,
    webhooks,
)
from webhooks.config import WebhooksSettings

DEMAND = "cn.ipmarket.listing.demand."
SUPPLY = "cn.ipmarket.listing.supply."


@pytest.fixture
def clock_file(tmp_path: Path) -> Path:
    return tmp_path / "clock.json"


@pytest.fixture
def listing_settings(stack: Stack, clock_file: Path) -> ListingSettings:
    """Listing on a clock of the test's own, sweeping for expired listings often."""
    return stack.settings(ListingSettings, clock_file=str(clock_file), expiry_sweep_interval_s=0.2)


async def send(
    client: httpx.AsyncClient, connected: Connected, payload: dict[str, Any]
) -> httpx.Response:
    body, headers = signed(connected.platform["inbound_secret"], payload)
    return await client.post(
        f"/v1/inbound/{connected.platform['id']}", content=body, headers=headers
    )


async def test_a_platform_updates_and_closes_its_listing_and_the_others_get_it_in_order(
    webhooks: tuple[httpx.AsyncClient, WebhooksSettings],  # noqa: F811
    platforms: list[tuple[Receiver, Connected]],  # noqa: F811
) -> None:
    client, _ = webhooks
    (source, src), (failing, failing_connected), (third, third_connected) = platforms
    # The second platform's receiver fails until told otherwise.
    failing.answer_status = 503
    reference = f"SZTEX-{application_number()}"
    published = await send(client, src, demand(reference))
    assert published.status_code == 201, published.text
    demand_id = published.json()["listing_id"]

    updated = await send(
        client,
        src,
        {
            "kind": "demand",
            "action": "update",
            "external_reference": reference,
            "listing": {"budget_max": "3000000", "contact": "李工 0755-66666666"},
        },
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["action"] == "update"
    assert updated.json()["listing_id"] == demand_id

    # Another platform may not touch it: by id it is listing's refusal, by reference it
    # has none of its own.
    by_id = await send(
        client, third_connected, {"kind": "demand", "action": "close", "listing_id": demand_id}
    )
    assert by_id.status_code == 403, by_id.text
    assert by_id.headers["content-type"] == "application/problem+json"
    assert by_id.json()["type"].endswith("/listing-not-publisher")
    by_reference = await send(
        client,
        third_connected,
        {"kind": "demand", "action": "update", "external_reference": reference, "listing": {}},
    )
    assert by_reference.status_code == 404, by_reference.text
    assert by_reference.json()["type"].endswith("/webhook-inbound-listing-unknown")

    for payload in (
        {"kind": "demand", "action": "close"},
        {
            "kind": "demand",
            "action": "close",
            "listing_id": demand_id,
            "external_reference": reference,
        },
        {**demand("REF-X"), "listing_id": demand_id},
        {"kind": "demand", "action": "close", "listing_id": demand_id, "priority": 1},
        {"kind": "demand", "action": "withdraw", "listing_id": demand_id},
    ):
        malformed = await send(client, src, payload)
        assert malformed.status_code == 422, (payload, malformed.text)
        assert malformed.json()["type"].endswith("/webhook-inbound-payload-refused")

    closed = await send(
        client,
        src,
        {
            "kind": "demand",
            "action": "close",
            "listing_id": demand_id,
            "listing": {"note": "已解决"},
        },
    )
    assert closed.status_code == 200, closed.text
    again = await send(
        client, src, {"kind": "demand", "action": "close", "external_reference": reference}
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/listing-closed")

    # The healthy platform has all three; the failing one has tried the first only: the
    # later ones wait behind it.
    events = await received(third, {demand_id}, 3)
    ids = [e["id"] for e in events]
    waiting = await eventually(lambda: _failed_first(client, failing_connected, ids), timeout=90)
    assert [waiting[i]["attempts"] for i in ids[1:]] == [0, 0]

    failing.answer_status = 204
    done = await settled(client, failing_connected, ids)
    assert {d["status"] for d in done.values()} == {"succeeded"}
    for receiver in (failing, third):
        got = receiver.events({demand_id})
        assert [e["type"] for e in got] == [
            DEMAND + "published.v1",
            DEMAND + "updated.v1",
            DEMAND + "closed.v1",
        ]
        assert [e["data"]["version"] for e in got] == [1, 2, 3]
        assert got[1]["data"]["budget_max"] == "3000000.00"
        assert got[2]["data"]["note"] == "已解决"
    assert source.events({demand_id}) == []


async def received(receiver: Receiver, subjects: set[str], count: int) -> list[dict[str, Any]]:
    """The receiver's events about ``subjects`` once it has ``count`` of them."""

    def enough() -> list[dict[str, Any]] | None:
        got = receiver.events(subjects)
        return got if len(got) >= count else None

    result: list[dict[str, Any]] = await eventually(enough, timeout=90)
    return result


async def _failed_first(
    client: httpx.AsyncClient, connected: Connected, event_ids: list[str]
) -> dict[str, dict[str, Any]] | None:
    found = await deliveries_to(client, connected, event_ids)
    if len(found) < len(event_ids) or found[event_ids[0]]["attempts"] < 2:
        return None
    return found


async def test_listings_past_their_end_date_close_and_every_platform_hears_it(
    webhooks: tuple[httpx.AsyncClient, WebhooksSettings],  # noqa: F811
    platforms: list[tuple[Receiver, Connected]],  # noqa: F811
    clock_file: Path,
) -> None:
    client, _ = webhooks
    (source, src), (second, _), (third, _) = platforms
    today: date = ControllableClock(clock_file).today()
    need = await send(client, src, demand(f"REF-{application_number()}", deadline=str(today)))
    assert need.status_code == 201, need.text
    number = application_number()
    offer = await send(
        client,
        src,
        {
            "kind": "supply_listing",
            "listing": {
                "application_number": number,
                "kind": "license",
                "title": "电池管理专利许可",
                "contact": "王老师",
                "valid_until": str(today),
            },
        },
    )
    assert offer.status_code == 201, offer.text
    subjects = {need.json()["listing_id"], number}
    # Open through their last day; closed the day after.
    await eventually(lambda: len(third.events(subjects)) == 2, timeout=90)
    move_clock(clock_file, by=timedelta(days=1))
    for receiver in (second, third):
        got = await received(receiver, subjects, 4)
        closes = {e["type"]: e["data"] for e in got if e["type"].endswith("closed.v1")}
        assert set(closes) == {DEMAND + "closed.v1", SUPPLY + "closed.v1"}
        assert {d["reason"] for d in closes.values()} == {"expired"}
        assert {d["version"] for d in closes.values()} == {2}
    assert source.events(subjects) == []
