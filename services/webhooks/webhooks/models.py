"""Webhooks' tables. Its own registry and metadata: no other service shares them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    Identity,
    Index,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from shared.db.infrastructure import define_infrastructure_tables, service_registry
from webhooks.domain.pacing import MAX_RATE_PER_S, MIN_RATE_PER_S


class WebhooksTable(SQLModel, registry=service_registry()):
    pass


metadata = WebhooksTable.metadata
infrastructure = define_infrastructure_tables(metadata)


def _now() -> datetime:
    return datetime.now(UTC)


class OutboundEventRecord(WebhooksTable, table=True):
    __tablename__ = "outbound_events"
    __table_args__ = (
        Index("ix_outbound_events_received", "received_at", "event_id"),
        Index("ix_outbound_events_type_subject", "event_type", "subject"),
    )

    event_id: str = Field(primary_key=True, max_length=255)
    sequence: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, Identity(always=True), nullable=False, unique=True),
        description="Arrival order here; the CloudEvents `sequence` receivers may compare.",
    )
    event_type: str = Field(max_length=255)
    source: str = Field(max_length=255)
    subject: str | None = Field(default=None, max_length=255)
    partition_key: str | None = Field(default=None, max_length=255)
    event_time: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    data: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    traceparent: str | None = Field(default=None, max_length=55)
    actor: str | None = Field(default=None, max_length=255)
    origin_platform: str | None = Field(default=None, max_length=255)
    topic: str = Field(max_length=255)
    partition: int
    offset: int = Field(sa_column=Column(BigInteger, nullable=False))
    received_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


def _tz(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


class PlatformRecord(WebhooksTable, table=True):
    """A connected trading platform (a regional exchange or another system)."""

    __tablename__ = "platforms"

    id: str = Field(primary_key=True, max_length=36)
    org_id: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    region_code: str | None = Field(default=None, max_length=6)
    inbound_secret: str = Field(sa_column=Column(Text, nullable=False))  # encrypted
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class EndpointRecord(WebhooksTable, table=True):
    """Where one platform receives events, what it wants, and how healthy it is."""

    __tablename__ = "endpoints"
    __table_args__ = (
        CheckConstraint(
            f"rate_limit_per_s BETWEEN {MIN_RATE_PER_S} AND {MAX_RATE_PER_S}",
            name="rate_limit_range",
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    platform_id: str = Field(max_length=36, index=True)
    url: str = Field(sa_column=Column(Text, nullable=False))
    description: str | None = Field(default=None, max_length=500)
    event_types: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    filters: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    rate_limit_per_s: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    status: str = Field(default="active", max_length=16)
    disabled_reason: str | None = Field(default=None, max_length=500)
    disabled_at: datetime | None = _tz()
    consecutive_failures: int = 0
    failing_since: datetime | None = _tz()
    paused_until: datetime | None = _tz()
    cooldown_s: float = Field(default=0, sa_column=Column(Float, nullable=False))
    last_attempt_at: datetime | None = _tz()
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = _tz()
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class EndpointSecretRecord(WebhooksTable, table=True):
    """A signing secret, encrypted at rest. A rotated secret keeps signing until
    ``expires_at`` so receivers can switch without missing a message."""

    __tablename__ = "endpoint_secrets"

    id: str = Field(primary_key=True, max_length=36)
    endpoint_id: str = Field(max_length=36, index=True)
    secret: str = Field(sa_column=Column(Text, nullable=False))  # encrypted
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime | None = _tz()


class DeliveryRecord(WebhooksTable, table=True):
    """One event for one endpoint. Its ``webhook-id`` is the event's id, on every
    attempt and every replay: receivers deduplicate on it."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("uq_deliveries_endpoint_event", "endpoint_id", "event_id", unique=True),
        Index(
            "ix_deliveries_pending",
            "endpoint_id",
            "sequence",
            postgresql_where=text("status = 'pending'"),
        ),
        Index(
            "ix_deliveries_pending_key",
            "endpoint_id",
            "ordering_key",
            "sequence",
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_deliveries_endpoint_status_created", "endpoint_id", "status", "created_at"),
        # Delivery statistics: what each endpoint's deliveries came to since a time.
        Index(
            "ix_deliveries_endpoint_completed",
            "endpoint_id",
            "completed_at",
            postgresql_include=["status"],
            postgresql_where=text("completed_at IS NOT NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    endpoint_id: str = Field(max_length=36)
    event_id: str = Field(max_length=255)
    sequence: int = Field(sa_column=Column(BigInteger, nullable=False))
    ordering_key: str | None = Field(default=None, max_length=255)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    completed_at: datetime | None = _tz()


class DeliveryAttemptRecord(WebhooksTable, table=True):
    __tablename__ = "delivery_attempts"
    # Delivery statistics: each endpoint's attempts since a time.
    __table_args__ = (
        Index("ix_delivery_attempts_endpoint_attempted", "endpoint_id", "attempted_at"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    delivery_id: str = Field(max_length=36, index=True)
    endpoint_id: str = Field(max_length=36)
    attempted_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status_code: int | None = None
    latency_ms: float = Field(sa_column=Column(Float, nullable=False))
    error: str | None = Field(default=None, max_length=500)
    response_excerpt: str | None = Field(default=None, max_length=1000)


class PatentAttributesRecord(WebhooksTable, table=True):
    """What subscription filters need to know about a patent, from listing's events."""

    __tablename__ = "patent_attributes"

    application_number: str = Field(primary_key=True, max_length=20)
    patent_type: str | None = Field(default=None, max_length=32)
    region_code: str | None = Field(default=None, max_length=6)
    ipc_codes: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    industry_codes: list[str] = Field(sa_column=Column(JSONB, nullable=False))


class InboundMessageRecord(WebhooksTable, table=True):
    """A webhook a platform sent us, kept so a repeated webhook-id is refused."""

    __tablename__ = "inbound_messages"

    platform_id: str = Field(primary_key=True, max_length=36)
    webhook_id: str = Field(primary_key=True, max_length=255)
    received_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    listing_id: str | None = Field(default=None, max_length=64)
