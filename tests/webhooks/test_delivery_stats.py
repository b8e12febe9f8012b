"""Delivery statistics (GET /v1/delivery-stats) on the real stack: a loopback receiver
that is down, then back; failures show, the rate drops, a replay moves a delivery to
delivered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.circuit import CircuitStatus
from shared.events import topics
from tests.support.stack import Stack, application_number, eventually, org, running_app
from tests.webhooks.conftest import delivery_settings
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import (
    connect,
    deliveries_to,
    disconnect,
    event,
    operator_headers,
    publish,
    settled,
)
from webhooks.config import WebhooksSettings
from webhooks.domain.delivery_stats import DeliveryCounts, window_start
from webhooks.domain.errors import DeliveryStatsWindowRefused
from webhooks.main import create_app

REGISTERED = "cn.ipmarket.listing.patent.registered.v1"
COUNTS = ("delivered", "failed_attempts", "pending", "given_up", "success_rate")


def _counts(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in COUNTS}


COUNTY = "659004"


async def test_a_receiver_that_is_down_shows_failures_and_a_replay_delivers(
    stack: Stack,
) -> None:
    # Two retries a tenth of a second apart: a delivery is given up within the test.
    settings = delivery_settings(stack, retry_schedule_s=[0.1, 0.1])
    up, down = Receiver("stats-up"), Receiver("stats-down")
    await up.start()  # `down` is not listening: every attempt's connection is refused
    # The app reads the listing topic from its start, where the suite's other tests left
    # patents too: the endpoints take only this test's county (五家渠市), so that their
    # counts are this test's events alone.
    only_ours = {"event_types": [REGISTERED], "filters": {"regions": [COUNTY]}}
    async with running_app(create_app(settings)) as client:
        healthy = await connect(client, settings, up, **only_ours)
        failing = await connect(client, settings, down, **only_ours)
        try:
            numbers = [application_number() for _ in range(2)]
            events = [
                event(REGISTERED, n, title="一种锂电池检测方法", region_code=COUNTY)
                for n in numbers
            ]
            await publish(settings, topics.LISTING, *events)
            ids = [e.id for e in events]
            delivered = await settled(client, healthy, ids)
            given_up = await settled(client, failing, ids)
            assert {d["status"] for d in given_up.values()} == {"failed"}
            attempts = sum(d["attempts"] for d in given_up.values())

            stats = await _stats(client, operator_headers(settings))
            rows = {r["endpoint_id"]: r for r in stats["endpoints"]}
            ok, bad = rows[healthy.endpoint["id"]], rows[failing.endpoint["id"]]
            assert _counts(ok) == {
                "delivered": 2,
                "failed_attempts": 0,
                "pending": 0,
                "given_up": 0,
                "success_rate": 1.0,
            }
            assert ok["last_delivered_at"] == max(d["completed_at"] for d in delivered.values())
            assert _counts(bad) == {
                "delivered": 0,
                "failed_attempts": attempts,
                "pending": 0,
                "given_up": 2,
                "success_rate": 0.0,
            }
            assert bad["last_delivered_at"] is None
            assert bad["oldest_pending_since"] is None
            assert bad["platform_name"] == failing.platform["name"]
            assert bad["url"] == down.url
            assert bad["status"] in {s.value for s in CircuitStatus}
            assert bad["consecutive_failures"] == attempts
            # Totals over every endpoint the operator sees (other tests' too).
            totals = stats["totals"]
            assert totals["delivered"] >= 2
            assert totals["given_up"] >= 2
            assert totals["delivered"] == sum(r["delivered"] for r in stats["endpoints"])

            # An exchange sees its own platform's endpoints only.
            own = await _stats(client, failing.headers)
            assert [r["endpoint_id"] for r in own["endpoints"]] == [failing.endpoint["id"]]
            assert _counts(own["totals"]) == _counts(bad)

            # The receiver is back; one failed delivery is replayed and arrives.
            await down.start()
            replayed = given_up[ids[0]]["id"]
            reply = await client.post(f"/v1/deliveries/{replayed}/replay", headers=failing.headers)
            assert reply.status_code == 200, reply.text
            after = await settled(client, failing, ids)
            assert after[ids[0]]["status"] == "succeeded"
            [row] = (await _stats(client, failing.headers))["endpoints"]
            assert _counts(row) == {
                "delivered": 1,
                "failed_attempts": attempts,
                "pending": 0,
                "given_up": 1,
                "success_rate": 0.5,
            }
            assert row["last_delivered_at"] == after[ids[0]]["completed_at"]
            assert row["consecutive_failures"] == 0
        finally:
            await disconnect(client, healthy)
            await disconnect(client, failing)
            await up.stop()
            await down.stop()


async def test_the_window_is_checked_and_only_exchanges_and_the_operator_see_it(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    operator = operator_headers(webhooks_settings)
    now = datetime.now(UTC)
    window = await _stats(webhooks_client, operator)
    since = datetime.fromisoformat(window["since"])
    until = datetime.fromisoformat(window["until"])
    assert until - since == timedelta(hours=24)
    assert abs(until - now) < timedelta(minutes=1)
    chosen = (now - timedelta(days=30)).replace(microsecond=0)
    reply = await _stats(webhooks_client, operator, since=chosen.isoformat())
    assert datetime.fromisoformat(reply["since"]) == chosen

    refused = {
        (now - timedelta(days=32)).isoformat(): "since: at most 31 days back",
        (now + timedelta(hours=1)).isoformat(): "since: must not be in the future",
        "2026-12-01T00:00:00": None,  # no offset: whose midnight?
        "yesterday": None,
    }
    for value, detail in refused.items():
        answer = await webhooks_client.get(
            "/v1/delivery-stats", params={"since": value}, headers=operator
        )
        assert answer.status_code == 422, (value, answer.text)
        problem = answer.json()
        if detail is None:
            assert [e["field"] for e in problem["errors"]] == ["query.since"]
        else:
            assert problem["detail"] == detail
            assert problem["field"] == "since"

    for caller in (org(OrgType.BANK, "中国工商银行"), org(OrgType.REGULATOR, "国家知识产权局")):
        answer = await webhooks_client.get(
            "/v1/delivery-stats", headers=caller.headers(webhooks_settings)
        )
        assert answer.status_code == 403, answer.text
    # An exchange not connected as a platform sees no endpoint.
    stranger = org(OrgType.EXCHANGE, "未接入的交易所")
    alone = await _stats(webhooks_client, stranger.headers(webhooks_settings))
    assert alone["endpoints"] == []
    assert alone["totals"] == {
        "delivered": 0,
        "failed_attempts": 0,
        "pending": 0,
        "given_up": 0,
        "success_rate": None,
    }


async def test_a_delivery_still_retrying_counts_as_failing_and_pending(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    down = Receiver("stats-retrying")  # never listening; retries go on for seconds
    failing = await connect(
        webhooks_client,
        webhooks_settings,
        down,
        event_types=[REGISTERED],
        filters={"regions": [COUNTY]},
    )
    try:
        retrying = event(
            REGISTERED, application_number(), title="一种芯片封装结构", region_code=COUNTY
        )
        await publish(webhooks_settings, topics.LISTING, retrying)

        async def tried() -> dict[str, Any] | None:
            [row] = (await _stats(webhooks_client, failing.headers))["endpoints"]
            return row if row["failed_attempts"] >= 1 else None

        row = await eventually(tried, timeout=60)
        [delivery] = (await deliveries_to(webhooks_client, failing, [retrying.id])).values()
        assert delivery["status"] == "pending"
        assert row["delivered"] == row["given_up"] == 0
        assert row["pending"] == 1
        assert row["success_rate"] == 0.0  # one delivery, every attempt failed so far
        assert row["oldest_pending_since"] == delivery["created_at"]
    finally:
        await disconnect(webhooks_client, failing)


@pytest.mark.unit
def test_the_success_rate_counts_each_delivery_once_by_how_it_stands() -> None:
    assert DeliveryCounts().success_rate is None
    # Attempts alone do not count: a delivery retried three times is one delivery.
    counts = DeliveryCounts(delivered=3, given_up=1, failing=1, failed_attempts=9, pending=4)
    assert counts.success_rate == 0.6
    assert (counts + DeliveryCounts(delivered=1)).success_rate == round(4 / 6, 4)
    assert DeliveryCounts(pending=5).success_rate is None  # nothing attempted yet


@pytest.mark.unit
def test_the_window_starts_a_day_back_and_at_most_31_days_back() -> None:
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    assert window_start(now, None) == now - timedelta(hours=24)
    assert window_start(now, now - timedelta(days=31)) == now - timedelta(days=31)
    assert window_start(now, now) == now
    for since in (now - timedelta(days=31, seconds=1), now + timedelta(seconds=1)):
        with pytest.raises(DeliveryStatsWindowRefused):
            window_start(now, since)


async def _stats(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> Any:
    reply = await client.get("/v1/delivery-stats", params=params, headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.json()
