"""Webhooks use cases. Services never commit; the caller's unit of work does."""

from __future__ import annotations

from datetime import datetime

from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.envelope import CloudEvent
from webhooks.models import OutboundEventRecord
from webhooks.repository import WebhooksRepository


async def enqueue(
    uow: UnitOfWork, event: CloudEvent, *, topic: str, partition: int, offset: int
) -> None:
    """Keep a public event for delivery to every subscribed platform."""
    await WebhooksRepository(uow.session).add_outbound(
        OutboundEventRecord(
            event_id=event.id,
            event_type=event.type,
            source=event.source,
            subject=event.subject,
            partition_key=event.partitionkey,
            event_time=event.time,
            data=event.data,
            traceparent=event.traceparent,
            actor=event.actor,
            origin_platform=event.originplatform,
            topic=topic,
            partition=partition,
            offset=offset,
        )
    )


async def get_outbound(uow: UnitOfWork, event_id: str) -> OutboundEventRecord:
    record = await WebhooksRepository(uow.session).get_outbound(event_id)
    if record is None:
        raise NotFound(f"event {event_id} was not received")
    return record


async def list_outbound(
    uow: UnitOfWork,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    event_type: str | None,
    subject: str | None,
) -> list[OutboundEventRecord]:
    return await WebhooksRepository(uow.session).list_outbound(
        limit=limit, after=after, event_type=event_type, subject=subject
    )


def as_cloud_event(record: OutboundEventRecord) -> CloudEvent:
    return CloudEvent(
        id=record.event_id,
        source=record.source,
        type=record.event_type,
        time=record.event_time,
        subject=record.subject,
        data=record.data,
        traceparent=record.traceparent,
        actor=record.actor,
        partitionkey=record.partition_key,
        originplatform=record.origin_platform,
    )
