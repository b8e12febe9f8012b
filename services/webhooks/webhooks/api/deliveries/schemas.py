"""Request and response bodies of the deliveries endpoints."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field


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
