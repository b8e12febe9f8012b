"""One event on its way to one endpoint: the delivery state machine.

A delivery is pending until an attempt succeeds (2xx) or the retry schedule runs out;
each failed attempt sets when the next one is due. The attempts of one batch also move
the endpoint's health (``domain.circuit``), in the same transaction as the deliveries.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from shared.circuit import CircuitPolicy, CircuitStatus, after_failure, after_success
from webhooks.domain.endpoint import Endpoint
from webhooks.domain.errors import DeliveryNotReplayable
from webhooks.domain.retry import RetrySchedule


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class AttemptOutcome:
    """What one attempt to send a delivery came to."""

    delivery_id: str
    attempted_at: datetime
    latency_ms: float
    status_code: int | None = None
    error: str | None = None
    excerpt: str | None = None
    retry_after_s: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


@dataclass
class Delivery:
    """One event for one endpoint. Its ``webhook-id`` is the event's id, on every
    attempt and every replay: receivers deduplicate on it."""

    id: str
    endpoint_id: str
    event_id: str
    sequence: int
    ordering_key: str | None
    created_at: datetime
    next_attempt_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = None
    completed_at: datetime | None = None

    def attempted(
        self, outcome: AttemptOutcome, schedule: RetrySchedule, rng: random.Random, now: datetime
    ) -> None:
        """Count the attempt: succeeded, failed for good, or due again after the
        schedule's next delay (longer if the receiver's ``Retry-After`` asks)."""
        self.attempts += 1
        self.last_status_code = outcome.status_code
        self.last_error = outcome.error or (
            None if outcome.succeeded else f"HTTP {outcome.status_code}"
        )
        if outcome.succeeded:
            self.status, self.completed_at = DeliveryStatus.SUCCEEDED, now
            return
        delay = schedule.next_delay(self.attempts, outcome.retry_after_s, rng)
        if delay is None:
            self.status, self.completed_at = DeliveryStatus.FAILED, now
        else:
            self.next_attempt_at = now + timedelta(seconds=delay)

    def replay(self, now: datetime) -> None:
        """Send a failed delivery again, due now, with a fresh retry budget."""
        if self.status is not DeliveryStatus.FAILED:
            raise DeliveryNotReplayable(
                f"delivery {self.id} is {self.status}; only failed deliveries are replayed"
            )
        self.status, self.attempts = DeliveryStatus.PENDING, 0
        self.next_attempt_at, self.completed_at = now, None


def record_attempts(
    endpoint: Endpoint,
    attempted: Sequence[tuple[Delivery, AttemptOutcome]],
    *,
    schedule: RetrySchedule,
    policy: CircuitPolicy,
    rng: random.Random,
    now: datetime,
) -> bool:
    """A batch's outcomes applied to its deliveries and to the endpoint's health, in the
    order they were sent. True when the batch disabled the endpoint."""
    last = max((o.attempted_at for _, o in attempted), default=None)
    if last is not None and (endpoint.last_attempt_at is None or last > endpoint.last_attempt_at):
        endpoint.last_attempt_at = last
    health = endpoint.health
    for delivery, outcome in attempted:
        delivery.attempted(outcome, schedule, rng, now)
        if outcome.succeeded:
            health = after_success(health)
        else:
            health = after_failure(health, policy, outcome.attempted_at, gone=outcome.gone)
    was_disabled = endpoint.status is CircuitStatus.DISABLED
    endpoint.apply(health, now)
    return endpoint.status is CircuitStatus.DISABLED and not was_disabled
