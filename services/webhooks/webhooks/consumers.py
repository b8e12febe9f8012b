"""Webhooks' Kafka handlers: every public event of a topic joins the delivery queue."""

from __future__ import annotations

from shared.db.uow import UnitOfWork
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.messaging.consumer import EventContext, EventRouter
from webhooks import service

GROUP_ID = "ipmarket-webhooks"
router = EventRouter()


@router.on_any(topics.LISTING)
async def on_listing_event(event: CloudEvent, ctx: EventContext, uow: UnitOfWork) -> None:
    await service.enqueue(uow, event, topic=ctx.topic, partition=ctx.partition, offset=ctx.offset)
