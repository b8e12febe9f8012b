"""Webhooks' Kafka handlers: every public event joins the delivery queue of each
endpoint subscribed to it. Pledge events are not public (banks read their own topic)."""

from __future__ import annotations

from shared.db.uow import UnitOfWork
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.messaging.consumer import EventContext, EventRouter
from webhooks.mapping import outbound_event
from webhooks.outbound_events import service

GROUP_ID = "ipmarket-webhooks"
DELIVERED_TOPICS = (topics.LISTING, topics.LICENSE, topics.MATCHING)
router = EventRouter()


async def on_public_events(events: list[tuple[CloudEvent, EventContext]], uow: UnitOfWork) -> None:
    """The events of a partition that arrive together, queued in one go."""
    await service.enqueue(
        uow,
        [
            outbound_event(event, topic=ctx.topic, partition=ctx.partition, offset=ctx.offset)
            for event, ctx in events
        ],
    )


for _topic in DELIVERED_TOPICS:
    router.on_any_batch(_topic)(on_public_events)
