"""The delivery state machine and the endpoint's health after a batch, without a database."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from shared.circuit import CircuitPolicy, CircuitStatus
from webhooks.domain.delivery import AttemptOutcome, Delivery, DeliveryStatus, record_attempts
from webhooks.domain.endpoint import Endpoint
from webhooks.domain.errors import DeliveryNotReplayable
from webhooks.domain.retry import RetrySchedule

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
SCHEDULE = RetrySchedule((5, 300), jitter=0)
POLICY = CircuitPolicy(failure_threshold=2, cooldown=timedelta(seconds=30))


def delivery(n: int = 1) -> Delivery:
    return Delivery(f"d{n}", "e1", f"ev{n}", n, "k", created_at=NOW, next_attempt_at=NOW)


def endpoint() -> Endpoint:
    return Endpoint("e1", "p1", "https://example.com/hook", created_at=NOW)


def outcome(d: Delivery, status_code: int | None, **kw: object) -> AttemptOutcome:
    return AttemptOutcome(d.id, NOW, 12.0, status_code=status_code, **kw)  # type: ignore[arg-type]


def settle(e: Endpoint, *pairs: tuple[Delivery, AttemptOutcome]) -> bool:
    return record_attempts(
        e, pairs, schedule=SCHEDULE, policy=POLICY, rng=random.Random(0), now=NOW
    )


def test_a_2xx_completes_the_delivery_and_closes_the_circuit() -> None:
    d, e = delivery(), endpoint()
    e.consecutive_failures = 1
    assert not settle(e, (d, outcome(d, 204)))
    assert (d.status, d.attempts, d.completed_at, d.last_error) == (
        DeliveryStatus.SUCCEEDED,
        1,
        NOW,
        None,
    )
    assert (e.status, e.consecutive_failures, e.last_attempt_at) == (CircuitStatus.ACTIVE, 0, NOW)


def test_a_failure_is_due_again_after_the_schedule_or_the_longer_retry_after() -> None:
    d, e = delivery(), endpoint()
    settle(e, (d, outcome(d, 500)))
    assert (d.status, d.next_attempt_at, d.last_error) == (
        DeliveryStatus.PENDING,
        NOW + timedelta(seconds=5),
        "HTTP 500",
    )
    settle(e, (d, outcome(d, 503, retry_after_s=600.0)))
    assert d.next_attempt_at == NOW + timedelta(seconds=600)


def test_the_last_attempt_of_the_schedule_fails_the_delivery() -> None:
    d, e = delivery(), endpoint()
    for _ in range(SCHEDULE.max_attempts):
        settle(e, (d, outcome(d, None, error="ConnectError: refused")))
    assert (d.status, d.attempts, d.completed_at) == (DeliveryStatus.FAILED, 3, NOW)
    assert d.last_error == "ConnectError: refused"


def test_consecutive_failures_pause_the_endpoint_and_410_disables_it() -> None:
    e = endpoint()
    d1, d2 = delivery(1), delivery(2)
    assert not settle(e, (d1, outcome(d1, 500)), (d2, outcome(d2, 500)))
    assert (e.status, e.paused_until) == (CircuitStatus.PAUSED, NOW + timedelta(seconds=30))
    assert e.batch_size(NOW, 8) == 0
    assert e.batch_size(NOW + timedelta(seconds=30), 8) == 1  # one probe
    d3 = delivery(3)
    assert settle(e, (d3, outcome(d3, 410)))
    assert (e.status, e.disabled_at, e.disabled_reason) == (
        CircuitStatus.DISABLED,
        NOW,
        "the endpoint answered 410 Gone",
    )
    assert e.batch_size(NOW, 8) == 0


def test_only_a_failed_delivery_is_replayed_with_a_fresh_budget() -> None:
    d = delivery()
    with pytest.raises(DeliveryNotReplayable):
        d.replay(NOW)
    d.status, d.attempts, d.completed_at = DeliveryStatus.FAILED, 3, NOW
    later = NOW + timedelta(hours=1)
    d.replay(later)
    assert (d.status, d.attempts, d.next_attempt_at, d.completed_at) == (
        DeliveryStatus.PENDING,
        0,
        later,
        None,
    )


def test_enabling_by_hand_clears_the_health_and_disabling_records_when() -> None:
    e = endpoint()
    e.disable(NOW)
    assert (e.status, e.disabled_at) == (CircuitStatus.DISABLED, NOW)
    e.consecutive_failures = 4
    e.enable()
    assert (e.status, e.disabled_at, e.consecutive_failures, e.paused_until) == (
        CircuitStatus.ACTIVE,
        None,
        0,
        None,
    )
