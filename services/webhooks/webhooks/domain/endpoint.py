"""Where one platform receives events, what it wants, and how healthy it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shared.circuit import CircuitStatus, Health
from webhooks.domain.subscription import EventAttributes, Filters, type_matches


@dataclass
class Endpoint:
    id: str
    platform_id: str
    url: str
    created_at: datetime
    description: str | None = None
    event_types: list[str] = field(default_factory=lambda: ["*"])
    filters: Filters = field(default_factory=Filters)
    rate_limit_per_s: float | None = None
    status: CircuitStatus = CircuitStatus.ACTIVE
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    consecutive_failures: int = 0
    failing_since: datetime | None = None
    paused_until: datetime | None = None
    cooldown_s: float = 0
    last_attempt_at: datetime | None = None

    def wants(self, event_type: str, attrs: EventAttributes) -> bool:
        """Subscribed to the event's type, and every filter set matches it."""
        return type_matches(self.event_types, event_type) and self.filters.matches(attrs)

    @property
    def health(self) -> Health:
        return Health(
            self.status,
            self.consecutive_failures,
            self.failing_since,
            self.paused_until,
            self.cooldown_s,
            self.disabled_reason,
        )

    def apply(self, health: Health, now: datetime) -> None:
        """Take the circuit breaker's verdict; a newly disabled endpoint records when."""
        if health.status is CircuitStatus.DISABLED and self.status is not CircuitStatus.DISABLED:
            self.disabled_at = now
            self.disabled_reason = health.disabled_reason
        self.status = health.status
        self.consecutive_failures = health.consecutive_failures
        self.failing_since = health.failing_since
        self.paused_until = health.paused_until
        self.cooldown_s = health.cooldown_s

    def enable(self) -> None:
        """Enabled by hand, also after a circuit pause or an automatic disable: a clean
        slate."""
        self.status = CircuitStatus.ACTIVE
        self.disabled_reason = self.disabled_at = None
        self.consecutive_failures, self.cooldown_s = 0, 0
        self.failing_since = self.paused_until = None

    def disable(self, now: datetime) -> None:
        self.status = CircuitStatus.DISABLED
        self.disabled_reason = "disabled through the API"
        self.disabled_at = now

    def batch_size(self, now: datetime, concurrency: int, working: int | None = None) -> int:
        """How many deliveries to take at once now: none when disabled or paused until
        later, one probe once the pause is over, ``concurrency`` (what may be in flight at
        once) while the last attempt failed, and up to ``working`` (not less than
        ``concurrency``) while the endpoint answers: it is sent with ``concurrency`` in
        flight, its outcomes recorded together."""
        if self.status is CircuitStatus.DISABLED:
            return 0
        if self.status is CircuitStatus.PAUSED:
            return 0 if self.paused_until and self.paused_until > now else 1
        if working is not None and self.consecutive_failures == 0:
            return max(concurrency, working)
        return concurrency


@dataclass(frozen=True)
class Waiting:
    """An endpoint with a delivery ready to send: since when no attempt has been made."""

    endpoint_id: str
    since: datetime
    seconds: float
