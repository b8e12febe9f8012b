"""Webhooks' tables. Its own registry and metadata: no other service shares them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Index
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from shared.db.infrastructure import define_infrastructure_tables, service_registry


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
