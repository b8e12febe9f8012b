"""A circuit breaker over consecutive failures, for anything the project calls that may fail:
a platform's webhook endpoint (webhooks keeps each endpoint's state in its table) or an
outside office (registry-sync's adapters keep it in memory, :class:`CircuitBreaker`).

Active (closed): calls flow. After ``failure_threshold`` consecutive failures the circuit
opens: the target is paused for ``cooldown``, then one probe call is let through. Success
closes the circuit; failure reopens it with a doubled cooldown (capped at
``max_cooldown``). A target failing without a single success for ``disable_after`` is
disabled (when the policy sets it) and needs a person to enable it again; so is one that
answers a permanent refusal (``gone``: a webhook endpoint's ``410 Gone``).

The rules are plain functions of the state, so a caller can keep the state wherever its
other facts live and move it in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class CircuitStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # circuit open, waiting to probe
    DISABLED = "disabled"


@dataclass(frozen=True)
class CircuitPolicy:
    failure_threshold: int = 5
    cooldown: timedelta = timedelta(seconds=30)
    max_cooldown: timedelta = timedelta(hours=1)
    # None: never disabled by failures alone (an office we must keep calling).
    disable_after: timedelta | None = timedelta(days=5)


@dataclass(frozen=True)
class Health:
    status: CircuitStatus
    consecutive_failures: int
    failing_since: datetime | None
    paused_until: datetime | None
    cooldown_s: float
    disabled_reason: str | None = None

    @classmethod
    def healthy(cls) -> Health:
        return cls(CircuitStatus.ACTIVE, 0, None, None, 0)

    def allows(self, now: datetime) -> bool:
        """Whether a call may go out now: active, or paused with its cooldown over (the
        probe)."""
        if self.status is CircuitStatus.ACTIVE:
            return True
        return (
            self.status is CircuitStatus.PAUSED
            and self.paused_until is not None
            and now >= self.paused_until
        )


def after_success(health: Health) -> Health:
    if health.status is CircuitStatus.DISABLED:
        return health
    return Health.healthy()


def after_failure(
    health: Health, policy: CircuitPolicy, now: datetime, *, gone: bool = False
) -> Health:
    if health.status is CircuitStatus.DISABLED:
        return health
    if gone:
        return _disabled(health, now, "the endpoint answered 410 Gone")
    failures = health.consecutive_failures + 1
    failing_since = health.failing_since or now
    if policy.disable_after is not None and now - failing_since >= policy.disable_after:
        days = policy.disable_after / timedelta(days=1)
        return _disabled(health, now, f"every delivery failed for {days:g} days")
    if failures < policy.failure_threshold:
        return Health(CircuitStatus.ACTIVE, failures, failing_since, None, health.cooldown_s)
    cooldown = (
        min(health.cooldown_s * 2, policy.max_cooldown.total_seconds())
        if health.cooldown_s
        else policy.cooldown.total_seconds()
    )
    return Health(
        CircuitStatus.PAUSED,
        failures,
        failing_since,
        now + timedelta(seconds=cooldown),
        cooldown,
    )


def _disabled(health: Health, now: datetime, reason: str) -> Health:
    return Health(
        CircuitStatus.DISABLED,
        health.consecutive_failures + 1,
        health.failing_since or now,
        None,
        health.cooldown_s,
        reason,
    )


class CircuitOpen(Exception):
    """The circuit is open: no call goes out until ``retry_at``."""

    def __init__(self, name: str, retry_at: datetime | None) -> None:
        super().__init__(f"{name}: circuit open until {retry_at}")
        self.retry_at = retry_at


class CircuitBreaker:
    """The same rules with the state in memory, for one process's calls to one target.

    ``check(now)`` before a call (raises :class:`CircuitOpen`), then ``succeeded()`` or
    ``failed(now)`` after it. Only failures that say something about the target (timeouts,
    refused connections, 5xx) should count: a refusal with reasons is an answer.
    """

    def __init__(self, name: str, policy: CircuitPolicy) -> None:
        self.name = name
        self.policy = policy
        self.health = Health.healthy()

    def check(self, now: datetime) -> None:
        if not self.health.allows(now):
            raise CircuitOpen(self.name, self.health.paused_until)

    def succeeded(self) -> None:
        self.health = after_success(self.health)

    def failed(self, now: datetime) -> None:
        self.health = after_failure(self.health, self.policy, now)
