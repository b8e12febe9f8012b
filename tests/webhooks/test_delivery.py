"""Outbound delivery on the real stack: real receivers on loopback verify every request
with the standardwebhooks reference library."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from shared.events import topics
from shared.events.envelope import CloudEvent
from tests.support.stack import Stack, application_number, eventually, running_app
from tests.webhooks.clock import VirtualClock
from tests.webhooks.conftest import delivery_settings
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import (
    connect,
    deliveries_to,
    disconnect,
    event,
    operator_headers,
    publish,
    queued,
    settled,
)
from webhooks.config import WebhooksSettings
from webhooks.main import create_app

DECLARED = "cn.ipmarket.listing.declaration.published.v1"
STATUS = "cn.ipmarket.listing.patent.status_changed.v1"
REGISTERED = "cn.ipmarket.listing.patent.registered.v1"


@pytest.fixture
async def receivers() -> AsyncIterator[list[Receiver]]:
    started: list[Receiver] = []

    async def stop_all() -> None:
        for r in started:
            await r.stop()

    try:
        for name in ("shenzhen", "guangzhou", "shanghai"):
            receiver = Receiver(name=name)
            await receiver.start()
            started.append(receiver)
        yield started
    finally:
        await stop_all()


def stream(numbers: list[str], per_patent: int) -> list[CloudEvent]:
    """Events about several patents, interleaved, each patent's in a known order."""
    events = []
    for i in range(per_patent):
        for n in numbers:
            events.append(event(STATUS if i else DECLARED, n, step=i))
    return events


def assert_in_order_per_patent(got: list[dict[str, Any]], sent: list[CloudEvent]) -> None:
    for number in {e.subject for e in sent}:
        expected = [e.id for e in sent if e.subject == number]
        assert [g["id"] for g in got if g["subject"] == number] == expected


async def all_received(receiver: Receiver, subjects: set[str], count: int) -> bool:
    return len(receiver.events(subjects)) >= count


async def test_every_receiver_gets_every_event_once_in_order_with_valid_signatures(
    webhooks_client: httpx.AsyncClient,
    webhooks_settings: WebhooksSettings,
    receivers: list[Receiver],
) -> None:
    connected = [await connect(webhooks_client, webhooks_settings, r) for r in receivers]
    numbers = [application_number() for _ in range(3)]
    sent = stream(numbers, per_patent=8)
    await publish(webhooks_settings, topics.LISTING, *sent)
    try:
        for c in connected:
            done = await settled(webhooks_client, c, [e.id for e in sent])
            assert {d["status"] for d in done.values()} == {"succeeded"}
        # Nothing about these events is pending: nothing more will arrive.
        for r in receivers:
            got = r.events(set(numbers))
            assert len(got) == len(sent)
            assert sorted(g["id"] for g in got) == sorted(e.id for e in sent)
            assert_in_order_per_patent(got, sent)
            assert r.rejected == []
            one = next(x for x in r.received if x.event["id"] == sent[0].id)
            assert one.webhook_id == sent[0].id
            assert one.headers["content-type"].startswith("application/cloudevents+json")
            assert one.event["specversion"] == "1.0"
            assert one.event["type"] == DECLARED
            assert int(one.event["sequence"]) > 0
    finally:
        for c in connected:
            await disconnect(webhooks_client, c)


async def test_a_receiver_that_is_down_gets_everything_later_without_slowing_the_others(
    webhooks_client: httpx.AsyncClient,
    webhooks_settings: WebhooksSettings,
    receivers: list[Receiver],
) -> None:
    down, *healthy = receivers
    connected = [await connect(webhooks_client, webhooks_settings, r) for r in receivers]
    await down.stop()
    numbers = [application_number() for _ in range(2)]
    sent = stream(numbers, per_patent=6)
    try:
        await publish(webhooks_settings, topics.LISTING, *sent)
        for r in healthy:
            await eventually(lambda r=r: all_received(r, set(numbers), len(sent)), timeout=90)
        # The others have everything while the first is still down.
        assert down.events(set(numbers)) == []

        # Its endpoint's attempts run apart from theirs: wait until its failures have
        # opened the circuit.
        async def failing() -> bool:
            endpoint = await webhooks_client.get(
                f"/v1/endpoints/{connected[0].endpoint['id']}", headers=connected[0].headers
            )
            failures: int = endpoint.json()["consecutive_failures"]
            return failures >= webhooks_settings.circuit_failure_threshold

        await eventually(failing, timeout=90)
        await down.start()
        done = await settled(webhooks_client, connected[0], [e.id for e in sent])
        assert {d["status"] for d in done.values()} == {"succeeded"}
        got = down.events(set(numbers))
        assert len(got) == len(sent)
        assert_in_order_per_patent(got, sent)
        recovered = await webhooks_client.get(
            f"/v1/endpoints/{connected[0].endpoint['id']}", headers=connected[0].headers
        )
        assert recovered.json()["status"] == "active"
        assert recovered.json()["consecutive_failures"] == 0
    finally:
        for c in connected:
            await disconnect(webhooks_client, c)


async def test_subscriptions_filter_by_type_region_and_ipc_and_never_echo(
    webhooks_client: httpx.AsyncClient,
    webhooks_settings: WebhooksSettings,
    receivers: list[Receiver],
) -> None:
    shenzhen, battery, everything = receivers
    by_region = await connect(
        webhooks_client,
        webhooks_settings,
        shenzhen,
        event_types=["cn.ipmarket.listing.declaration.*"],
        filters={"regions": ["4403"]},
    )
    by_ipc = await connect(
        webhooks_client, webhooks_settings, battery, filters={"ipc_prefixes": ["H01M"]}
    )
    source = await connect(webhooks_client, webhooks_settings, everything)
    sz, bj = application_number(), application_number()
    sent = [
        event(
            REGISTERED, sz, region_code="440305", ipc_codes=["H01M 10/48"], patent_type="invention"
        ),
        event(
            REGISTERED, bj, region_code="110108", ipc_codes=["G06N 3/08"], patent_type="invention"
        ),
        event(DECLARED, sz),
        event(DECLARED, bj),
        event(STATUS, sz),
        # Came from the third platform: everyone else gets it, the source does not.
        event(STATUS, bj, origin=source.org.org_id),
    ]
    try:
        await publish(webhooks_settings, topics.LISTING, *sent)
        subjects = {sz, bj}
        # Once every event is taken, each endpoint's deliveries are all it will get.
        await queued(webhooks_settings, *sent)
        ids = [e.id for e in sent]
        wanted = [
            (by_region, [sent[2].id]),
            (by_ipc, [sent[0].id, sent[2].id, sent[4].id]),
            (source, ids[:5]),  # never sent[5]: it came from this platform
        ]
        for connected, expected in wanted:
            assert sorted(await deliveries_to(webhooks_client, connected, ids)) == sorted(expected)
            await settled(webhooks_client, connected, expected)
        assert [e["id"] for e in shenzhen.events(subjects)] == [sent[2].id]
        assert [e["id"] for e in battery.events(subjects)] == [sent[0].id, sent[2].id, sent[4].id]
        assert sorted(e["id"] for e in everything.events(subjects)) == sorted(ids[:5])
    finally:
        for c in (by_region, by_ipc, source):
            await disconnect(webhooks_client, c)


async def test_rate_limit_paces_the_endpoints_deliveries_on_its_limiters_clock(
    stack: Stack, receivers: list[Receiver]
) -> None:
    """When requests start is the limiter's to decide (its rules: test_pacing); when
    they arrive is not (connections, threads, a busy machine), so this checks the
    limiter's clock, not the receiver's: an instance whose limiters wait on a virtual
    clock sends ten deliveries at five per second as fast as it can, and the clock shows
    that each after the first waited its turn, 0.2 s after the one before."""
    settings = delivery_settings(stack)
    app = create_app(settings)
    clock = VirtualClock()
    receiver = receivers[0]
    own_type = f"cn.ipmarket.listing.paced{uuid.uuid4().hex[:8]}.v1"
    async with running_app(app) as client:
        app.state.runtime.workers["deliveries"].pacing = clock  # before any endpoint is served
        connected = await connect(
            client, settings, receiver, rate_limit_per_s=5, event_types=[own_type]
        )
        numbers = [application_number() for _ in range(10)]
        await publish(settings, topics.LISTING, *(event(own_type, n) for n in numbers))
        await eventually(lambda: all_received(receiver, set(numbers), 10), timeout=90)
        await disconnect(client, connected)
    assert clock.woken == [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6, 1.8]


async def test_secret_rotation_signs_with_both_secrets_during_the_overlap(
    webhooks_client: httpx.AsyncClient,
    webhooks_settings: WebhooksSettings,
    receivers: list[Receiver],
) -> None:
    receiver = receivers[0]
    connected = await connect(webhooks_client, webhooks_settings, receiver)
    old = receiver.secrets[0]
    rotated = await webhooks_client.post(
        f"/v1/endpoints/{connected.endpoint['id']}/secret/rotation",
        json={},
        headers=connected.headers,
    )
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new.startswith("whsec_")
    assert new != old
    number = application_number()
    try:
        await publish(webhooks_settings, topics.LISTING, event(STATUS, number))
        await eventually(lambda: all_received(receiver, {number}, 1), timeout=90)
        got = next(r for r in receiver.received if r.event["subject"] == number)
        assert len(got.headers["webhook-signature"].split()) == 2
        only_old = Receiver("old", secrets=[old])
        only_new = Receiver("new", secrets=[new])
        assert only_old.verify(got.raw, got.headers)
        assert only_new.verify(got.raw, got.headers)
    finally:
        await disconnect(webhooks_client, connected)


async def test_endpoint_urls_are_checked(
    webhooks_client: httpx.AsyncClient,
    webhooks_settings: WebhooksSettings,
    receivers: list[Receiver],
) -> None:
    connected = await connect(webhooks_client, webhooks_settings, receivers[0])
    platform_id = connected.platform["id"]
    for url, says in [
        ("http://10.1.2.3/hooks", "not a public address"),
        ("http://169.254.169.254/latest/meta-data", "not a public address"),
        ("http://user:pw@127.0.0.1/hooks", "credentials"),
    ]:
        refused = await webhooks_client.post(
            f"/v1/platforms/{platform_id}/endpoints",
            json={"url": url},
            headers=connected.headers,
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["type"].endswith("/webhook-endpoint-url-refused")
        assert says in refused.json()["detail"]
    invalid = await webhooks_client.post(
        f"/v1/platforms/{platform_id}/endpoints",
        json={"url": "ftp://example.com/x"},
        headers=connected.headers,
    )
    assert invalid.status_code == 422
    await disconnect(webhooks_client, connected)


@pytest.fixture
async def impatient(stack: Stack) -> AsyncIterator[tuple[httpx.AsyncClient, WebhooksSettings]]:
    """A webhooks instance that gives up after three quick attempts."""
    settings = delivery_settings(
        stack,
        retry_schedule_s=[0.1, 0.1],
        circuit_failure_threshold=50,
        kafka_consumer_group=None,
    )
    async with running_app(create_app(settings)) as client:
        yield client, settings


async def test_failures_are_kept_and_can_be_replayed_under_the_same_webhook_id(
    impatient: tuple[httpx.AsyncClient, WebhooksSettings],
    receivers: list[Receiver],
) -> None:
    client, settings = impatient
    receiver = receivers[0]
    receiver.answer_status = 500
    # A type of this test's own: the instance's backlog of the session's events (read
    # from the start of the topic) must not reach this failing endpoint.
    own_type = f"cn.ipmarket.listing.replay{uuid.uuid4().hex[:8]}.v1"
    connected = await connect(client, settings, receiver, event_types=[own_type])
    endpoint_id = connected.endpoint["id"]
    numbers = [application_number() for _ in range(3)]
    sent = [event(own_type, n) for n in numbers]
    await publish(settings, topics.LISTING, *sent)

    async def failed() -> list[dict[str, Any]]:
        page = await client.get(
            f"/v1/endpoints/{endpoint_id}/deliveries",
            params={"status": "failed"},
            headers=connected.headers,
        )
        items = [d for d in page.json()["items"] if d["event_id"] in {e.id for e in sent}]
        return items if len(items) == 3 else []

    # A new instance first works through the session's backlog on the topic.
    failures = await eventually(failed, timeout=90)
    attempts = await client.get(
        f"/v1/deliveries/{failures[0]['id']}/attempts", headers=connected.headers
    )
    log = attempts.json()
    assert [a["status_code"] for a in log] == [500, 500, 500]
    assert all(a["latency_ms"] >= 0 and a["response_excerpt"] == '{"ok":true}' for a in log)

    receiver.answer_status = 200
    one = await client.post(f"/v1/deliveries/{failures[0]['id']}/replay", headers=connected.headers)
    assert one.status_code == 200, one.text
    await eventually(
        lambda: any(r.webhook_id == failures[0]["event_id"] for r in receiver.received)
    )
    again = await client.post(
        f"/v1/deliveries/{failures[0]['id']}/replay", headers=connected.headers
    )
    assert again.status_code in (200, 409)

    async def succeeded() -> list[int]:
        page = await client.get(
            f"/v1/deliveries/{failures[0]['id']}/attempts", headers=connected.headers
        )
        codes = [a["status_code"] for a in page.json()]
        return codes if codes[-1:] == [200] else []

    # The replay's successful attempt is logged after the three failed ones.
    replayed = await eventually(succeeded)
    assert replayed[:4] == [500, 500, 500, 200], replayed
    rest = await client.post(
        f"/v1/endpoints/{endpoint_id}/replay", json={}, headers=connected.headers
    )
    assert rest.status_code == 200
    assert rest.json()["replayed"] >= 2
    await eventually(lambda: all_received(receiver, set(numbers), 3), timeout=90)
    ids = [r.webhook_id for r in receiver.received if r.event["subject"] in set(numbers)]
    assert sorted(set(ids)) == sorted(e.id for e in sent)
    await disconnect(client, connected)


async def test_gone_disables_the_endpoint_and_the_operator_sees_it(
    impatient: tuple[httpx.AsyncClient, WebhooksSettings],
    receivers: list[Receiver],
) -> None:
    client, settings = impatient
    receiver = receivers[1]
    receiver.answer_status = 410
    own_type = f"cn.ipmarket.listing.gone{uuid.uuid4().hex[:8]}.v1"
    connected = await connect(client, settings, receiver, event_types=[own_type])
    number = application_number()
    await publish(settings, topics.LISTING, event(own_type, number))

    async def disabled() -> list[dict[str, Any]]:
        listed = await client.get(
            "/v1/endpoints", params={"status": "disabled"}, headers=operator_headers(settings)
        )
        return [e for e in listed.json()["items"] if e["id"] == connected.endpoint["id"]]

    [endpoint] = await eventually(disabled, timeout=90)
    assert "410" in endpoint["disabled_reason"]
    assert endpoint["disabled_at"] is not None
    enabled = await client.patch(
        f"/v1/endpoints/{endpoint['id']}", json={"status": "active"}, headers=connected.headers
    )
    assert enabled.json()["status"] == "active"
    await disconnect(client, connected)


async def test_retry_after_is_honoured(
    webhooks_client: httpx.AsyncClient,
    webhooks_settings: WebhooksSettings,
    receivers: list[Receiver],
) -> None:
    receiver = receivers[2]
    receiver.answer_status = 429
    receiver.answer_headers = {"retry-after": "2"}
    connected = await connect(webhooks_client, webhooks_settings, receiver, event_types=[STATUS])
    number = application_number()
    try:
        await publish(webhooks_settings, topics.LISTING, event(STATUS, number))

        async def pending() -> dict[str, Any] | None:
            page = await webhooks_client.get(
                f"/v1/endpoints/{connected.endpoint['id']}/deliveries",
                headers=connected.headers,
            )
            items = [d for d in page.json()["items"] if d["attempts"] >= 1]
            return items[0] if items else None

        delivery = await eventually(pending, timeout=90)
        receiver.answer_status, receiver.answer_headers = 204, {}
        attempts = await webhooks_client.get(
            f"/v1/deliveries/{delivery['id']}/attempts", headers=connected.headers
        )
        first = attempts.json()[0]
        await eventually(lambda: all_received(receiver, {number}, 1), timeout=90)
        log = (
            await webhooks_client.get(
                f"/v1/deliveries/{delivery['id']}/attempts", headers=connected.headers
            )
        ).json()
        assert log[0]["status_code"] == 429
        gap = datetime.fromisoformat(log[-1]["attempted_at"]) - datetime.fromisoformat(
            first["attempted_at"]
        )
        assert gap.total_seconds() >= 1.9  # the schedule alone would retry after ~0.2 s
    finally:
        await disconnect(webhooks_client, connected)


async def test_a_restart_loses_nothing_and_never_changes_a_webhook_id(
    stack: Stack,
    receivers: list[Receiver],
) -> None:
    settings = delivery_settings(stack)
    receiver = receivers[0]
    receiver.delay_s = 0.1
    numbers = [application_number() for _ in range(4)]
    sent = stream(numbers, per_patent=10)
    async with running_app(create_app(settings)) as client:
        connected = await connect(client, settings, receiver, event_types=[DECLARED, STATUS])
        await publish(settings, topics.LISTING, *sent)
        await eventually(lambda: all_received(receiver, set(numbers), 5), timeout=90)
    # Stopped mid-stream (graceful shutdown bounded); a new instance carries on.
    midway = len(receiver.events(set(numbers)))
    assert midway < len(sent)
    async with running_app(create_app(settings)) as client:
        await eventually(lambda: all_received(receiver, set(numbers), len(sent)), timeout=90)
        await disconnect(client, connected)
    ids = [r.webhook_id for r in receiver.received if r.event["subject"] in set(numbers)]
    assert set(ids) == {e.id for e in sent}  # every event, each under its own id only
    assert_in_order_per_patent(
        [r.event for r in receiver.received if r.event["subject"] in set(numbers)], sent
    )


async def test_an_endpoint_whose_name_does_not_resolve_fails_alone(
    webhooks_client: httpx.AsyncClient,
    webhooks_settings: WebhooksSettings,
    receivers: list[Receiver],
) -> None:
    healthy = await connect(webhooks_client, webhooks_settings, receivers[0], event_types=[STATUS])
    lost = Receiver("lost")
    lost_connected = await connect(webhooks_client, webhooks_settings, lost, event_types=[STATUS])
    patched = await webhooks_client.patch(
        f"/v1/endpoints/{lost_connected.endpoint['id']}",
        json={"url": "http://no-such-host.invalid/hooks"},
        headers=lost_connected.headers,
    )
    assert patched.status_code == 200, patched.text
    number = application_number()
    try:
        await publish(webhooks_settings, topics.LISTING, event(STATUS, number))
        await eventually(lambda: all_received(receivers[0], {number}, 1), timeout=90)

        async def failed_attempt() -> list[dict[str, Any]]:
            page = await webhooks_client.get(
                f"/v1/endpoints/{lost_connected.endpoint['id']}/deliveries",
                headers=lost_connected.headers,
            )
            tried = [d for d in page.json()["items"] if d["attempts"] >= 1]
            return tried

        [delivery, *_] = await eventually(failed_attempt, timeout=90)
        assert delivery["status"] == "pending"  # retried on the schedule
        assert delivery["last_status_code"] is None
        assert delivery["last_error"]
    finally:
        await disconnect(webhooks_client, healthy)
        await disconnect(webhooks_client, lost_connected)
