"""The in-memory circuit breaker the office adapters use: the same rules as a webhook
endpoint's health, held by one process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.circuit import CircuitBreaker, CircuitOpen, CircuitPolicy, CircuitStatus

pytestmark = pytest.mark.unit

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
POLICY = CircuitPolicy(failure_threshold=3, cooldown=timedelta(seconds=10), disable_after=None)


def test_opens_after_the_threshold_and_lets_one_probe_through_after_the_cooldown() -> None:
    breaker = CircuitBreaker("office", POLICY)
    for _ in range(3):
        breaker.check(T0)
        breaker.failed(T0)
    with pytest.raises(CircuitOpen) as opened:
        breaker.check(T0 + timedelta(seconds=9))
    assert opened.value.retry_at == T0 + timedelta(seconds=10)
    breaker.check(T0 + timedelta(seconds=10))  # the probe
    breaker.failed(T0 + timedelta(seconds=10))
    with pytest.raises(CircuitOpen):  # reopened, for twice as long
        breaker.check(T0 + timedelta(seconds=29))
    breaker.check(T0 + timedelta(seconds=30))
    breaker.succeeded()
    assert breaker.health.status is CircuitStatus.ACTIVE
    breaker.check(T0 + timedelta(seconds=30))


def test_a_policy_without_disable_after_never_disables() -> None:
    breaker = CircuitBreaker("office", POLICY)
    for day in range(30):
        breaker.failed(T0 + timedelta(days=day))
    assert breaker.health.status is CircuitStatus.PAUSED
