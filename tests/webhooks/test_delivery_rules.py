"""The delivery rules on their own: signatures, schedule, circuit, addresses, filters."""

from __future__ import annotations

import ipaddress
import random
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook

from shared.circuit import (
    CircuitPolicy,
    CircuitStatus,
    Health,
    after_failure,
    after_success,
)
from webhooks.domain.address import EndpointRefused, check_address, check_url, parse_networks
from webhooks.domain.pacing import MAX_RATE_PER_S, MIN_RATE_PER_S, clamp_rate
from webhooks.domain.retry import DEFAULT_SCHEDULE_S, RetrySchedule, parse_retry_after
from webhooks.domain.signing import (
    InvalidSecret,
    SignatureRejected,
    generate_secret,
    sign,
    sign_all,
    verify,
)
from webhooks.domain.subscription import EventAttributes, Filters, type_matches

BODY = '{"type":"cn.ipmarket.listing.declaration.published.v1","data":{"title":"一种锂电池"}}'


def test_our_signatures_verify_with_the_reference_library_and_theirs_with_ours() -> None:
    secret = generate_secret()
    now = int(datetime.now(UTC).timestamp())
    headers = sign_all([secret], "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", now, BODY.encode())
    assert Webhook(secret).verify(BODY.encode(), headers.as_dict())["data"]["title"] == "一种锂电池"

    theirs = Webhook(secret).sign("msg_1", datetime.fromtimestamp(now, UTC), BODY)
    signed = {"webhook-id": "msg_1", "webhook-timestamp": str(now), "webhook-signature": theirs}
    assert verify([secret], signed, BODY.encode(), now=now).webhook_id == "msg_1"


def test_verification_refuses_tampering_replays_and_missing_headers() -> None:
    secret = generate_secret()
    now = 1_800_000_000
    headers = sign_all([secret], "msg_1", now, BODY.encode()).as_dict()
    with pytest.raises(SignatureRejected, match="no webhook-signature matches"):
        verify([secret], headers, BODY.encode() + b" ", now=now)
    with pytest.raises(SignatureRejected, match="replay protection"):
        verify([secret], headers, BODY.encode(), now=now + 301)
    with pytest.raises(SignatureRejected, match="headers are required"):
        verify([secret], {"webhook-id": "msg_1"}, BODY.encode(), now=now)
    with pytest.raises(SignatureRejected, match="no webhook-signature matches"):
        verify([generate_secret()], headers, BODY.encode(), now=now)


def test_rotation_overlap_sends_one_signature_per_secret() -> None:
    old, new = generate_secret(), generate_secret()
    headers = sign_all([new, old], "msg_1", 1_800_000_000, b"{}")
    assert len(headers.signatures) == 2
    assert headers.signatures[1] == sign(old, "msg_1", 1_800_000_000, b"{}")
    with pytest.raises(InvalidSecret):
        sign("whsec_c2hvcnQ=", "msg_1", 1, b"{}")


def test_default_schedule_retries_for_more_than_three_days_with_bounded_jitter() -> None:
    assert sum(DEFAULT_SCHEDULE_S) >= 3 * 86400
    schedule = RetrySchedule()
    rng = random.Random(7)
    for failures, base in enumerate(DEFAULT_SCHEDULE_S, start=1):
        delay = schedule.next_delay(failures, None, rng)
        assert delay is not None
        assert base * 0.8 <= delay <= base * 1.2
    assert schedule.next_delay(schedule.max_attempts, None, rng) is None
    assert schedule.next_delay(1, 120, rng) == 120  # Retry-After asks for longer
    assert schedule.next_delay(1, 10 * 86400, rng) == 86400  # ... capped


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30
    assert parse_retry_after("Mon, 23 Nov 2026 08:02:00 GMT", now) == 120
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_circuit_opens_after_sustained_failures_probes_and_disables() -> None:
    policy = CircuitPolicy(failure_threshold=3, cooldown=timedelta(seconds=30))
    now = datetime(2026, 11, 23, tzinfo=UTC)
    health = Health(CircuitStatus.ACTIVE, 0, None, None, 0)
    for _ in range(2):
        health = after_failure(health, policy, now, gone=False)
    assert health.status is CircuitStatus.ACTIVE
    health = after_failure(health, policy, now, gone=False)
    assert health.status is CircuitStatus.PAUSED
    assert health.paused_until == now + timedelta(seconds=30)
    probe_failed = after_failure(health, policy, now + timedelta(seconds=31), gone=False)
    assert probe_failed.cooldown_s == 60  # doubled
    assert after_success(probe_failed).status is CircuitStatus.ACTIVE
    days_later = after_failure(probe_failed, policy, now + timedelta(days=5), gone=False)
    assert days_later.status is CircuitStatus.DISABLED
    assert "5 days" in (days_later.disabled_reason or "")
    gone = after_failure(Health(CircuitStatus.ACTIVE, 0, None, None, 0), policy, now, gone=True)
    assert gone.status is CircuitStatus.DISABLED
    assert after_success(gone).status is CircuitStatus.DISABLED


def test_addresses_must_be_public_unless_allowed() -> None:
    loopback = ipaddress.ip_address("127.0.0.1")
    for private in ("10.0.0.1", "192.168.1.1", "169.254.169.254", "::1", "fe80::1", "224.0.0.1"):
        with pytest.raises(EndpointRefused, match="not a public address"):
            check_address(ipaddress.ip_address(private), [])
    check_address(ipaddress.ip_address("8.8.8.8"), [])
    check_address(loopback, parse_networks(["127.0.0.0/8"]))
    with pytest.raises(EndpointRefused, match="must use https"):
        check_url("http://example.com/hook", require_https=True)
    assert check_url("https://example.com/hook", require_https=True) == (
        "https",
        "example.com",
        443,
    )


def test_types_match_with_wildcards_and_filters_by_prefix() -> None:
    declared = "cn.ipmarket.listing.declaration.published.v1"
    assert type_matches(["*"], declared)
    assert type_matches(["cn.ipmarket.listing.*"], declared)
    assert type_matches(["*.declaration.*"], declared)
    assert not type_matches(["cn.ipmarket.license.*"], declared)
    battery = EventAttributes("440305", ("H01M 10/48",), ("C384",), "invention")
    assert Filters(regions=["4403"], ipc_prefixes=["h01m"]).matches(battery)
    assert Filters(industries=["C38"], patent_types=["invention"]).matches(battery)
    assert not Filters(regions=["11"]).matches(battery)
    assert not Filters(ipc_prefixes=["G06N"]).matches(battery)
    assert not Filters(regions=["44"]).matches(EventAttributes())
    assert Filters().matches(EventAttributes())


def test_a_rate_read_from_anywhere_is_clamped_to_the_bounds() -> None:
    assert clamp_rate(5e-324) == MIN_RATE_PER_S == 0.1
    assert clamp_rate(-1) == clamp_rate(float("nan")) == MIN_RATE_PER_S
    assert clamp_rate(1e308) == clamp_rate(float("inf")) == MAX_RATE_PER_S == 1000
    assert clamp_rate(5) == 5
