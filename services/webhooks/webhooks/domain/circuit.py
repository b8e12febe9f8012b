"""An endpoint's health: a circuit breaker over consecutive failures.

Closed: deliveries flow. After ``failure_threshold`` consecutive failed attempts the
circuit opens and the endpoint is paused for ``cooldown``; then one probe delivery is
let through. Success closes the circuit; failure reopens it with a doubled cooldown
(capped). An endpoint failing without a single success for ``disable_after`` is
disabled and reported to the operator. ``410 Gone`` disables it at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class EndpointStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # circuit open, waiting to probe
    DISABLED = "disabled"


@dataclass(frozen=True)
class CircuitPolicy:
    failure_threshold: int = 5
    cooldown: timedelta = timedelta(seconds=30)
    max_cooldown: timedelta = timedelta(hours=1)
    disable_after: timedelta = timedelta(days=5)


@dataclass(frozen=True)
class Health:
    status: EndpointStatus
    consecutive_failures: int
    failing_since: datetime | None
    paused_until: datetime | None
    cooldown_s: float
    disabled_reason: str | None = None


def after_success(health: Health) -> Health:
    if health.status is EndpointStatus.DISABLED:
        return health
    return Health(EndpointStatus.ACTIVE, 0, None, None, 0)


def after_failure(health: Health, policy: CircuitPolicy, now: datetime, *, gone: bool) -> Health:
    if health.status is EndpointStatus.DISABLED:
        return health
    if gone:
        return _disabled(health, now, "the endpoint answered 410 Gone")
    failures = health.consecutive_failures + 1
    failing_since = health.failing_since or now
    if now - failing_since >= policy.disable_after:
        days = policy.disable_after / timedelta(days=1)
        return _disabled(health, now, f"every delivery failed for {days:g} days")
    if failures < policy.failure_threshold:
        return Health(EndpointStatus.ACTIVE, failures, failing_since, None, health.cooldown_s)
    cooldown = (
        min(health.cooldown_s * 2, policy.max_cooldown.total_seconds())
        if health.cooldown_s
        else policy.cooldown.total_seconds()
    )
    return Health(
        EndpointStatus.PAUSED,
        failures,
        failing_since,
        now + timedelta(seconds=cooldown),
        cooldown,
    )


def _disabled(health: Health, now: datetime, reason: str) -> Health:
    return Health(
        EndpointStatus.DISABLED,
        health.consecutive_failures + 1,
        health.failing_since or now,
        None,
        health.cooldown_s,
        reason,
    )
