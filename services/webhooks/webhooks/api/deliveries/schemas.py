"""Request and response bodies of the deliveries endpoints."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from shared.circuit import CircuitStatus


class DeliveryPublic(BaseModel):
    id: str
    endpoint_id: str
    event_id: str = Field(description="Also the `webhook-id` of every attempt.")
    sequence: int
    status: str = Field(description="pending | succeeded | failed")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    completed_at: datetime | None


class AttemptPublic(BaseModel):
    attempted_at: datetime
    status_code: int | None
    latency_ms: float
    error: str | None
    response_excerpt: str | None


def _within_the_calendar(value: datetime) -> datetime:
    """A time with an offset, taken to UTC; refused if that leaves the years 1 to 9999."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("time is out of range once taken to UTC") from exc


Instant = Annotated[datetime, AfterValidator(_within_the_calendar)]


class ReplayIn(BaseModel):
    since: Instant | None = Field(default=None, description="Deliveries created at or after.")
    until: Instant | None = Field(default=None, description="Deliveries created before.")


class ReplayResult(BaseModel):
    replayed: int


class DeliveryCountsPublic(BaseModel):
    delivered: int = Field(description="Deliveries that succeeded (2xx) in the window.")
    failed_attempts: int = Field(
        description="Attempts in the window that failed: an answer other than 2xx, a "
        "timeout, or no connection."
    )
    pending: int = Field(
        description="Deliveries waiting to be sent (first try or a retry) now, whenever "
        "they were queued."
    )
    given_up: int = Field(
        description="Deliveries whose retry schedule ran out in the window: failed for "
        "good until replayed (`POST /v1/deliveries/{id}/replay`, or the endpoint's replay)."
    )
    success_rate: float | None = Field(
        description="delivered / (delivered + given_up + deliveries still pending whose "
        "attempts in the window all failed), from 0 to 1, four decimal places; null when "
        "no delivery came to anything in the window."
    )


class EndpointDeliveryStatsPublic(DeliveryCountsPublic):
    endpoint_id: str
    platform_id: str
    platform_name: str
    url: str
    status: CircuitStatus = Field(
        description="active | paused (the circuit breaker waits before probing again) | "
        "disabled (by the breaker after failing too long, or through the API)."
    )
    disabled_reason: str | None
    consecutive_failures: int = Field(description="Failed attempts since the last success.")
    last_delivered_at: datetime | None = Field(
        description="When a delivery to the endpoint last succeeded, in or before the window."
    )
    oldest_pending_since: datetime | None = Field(
        description="When the oldest delivery pending now was queued: how far behind the "
        "endpoint is."
    )


class DeliveryStatsPublic(BaseModel):
    since: datetime = Field(description="Start of the window.")
    until: datetime = Field(description="End of the window: when the figures were read.")
    endpoints: list[EndpointDeliveryStatsPublic] = Field(
        description="Every endpoint the caller sees, by platform name, then oldest first."
    )
    totals: DeliveryCountsPublic = Field(
        description="The counts summed over `endpoints`; its success rate from the sums."
    )
