"""Statistics' Kafka handlers: every event of the public topics (and listing's
restatements), a partition's consecutive events at once, into one ingestion command."""

from __future__ import annotations

from ip_statistics.ingest import service as ingestion
from ip_statistics.ingest.commands import IngestEvents, PublishedEvent
from shared.db.uow import UnitOfWork
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-statistics"
TOPICS = (
    topics.LISTING,
    topics.LISTING_RESTATEMENTS,
    topics.LICENSE,
    topics.PLEDGE,
    topics.REGISTRY,
    topics.MATCHING,
)
router = EventRouter()


async def on_events(events: list[tuple[CloudEvent, EventContext]], uow: UnitOfWork) -> None:
    await ingestion.ingest(
        uow,
        IngestEvents(
            tuple(PublishedEvent(e.id, e.type, e.time, e.data) for e, _ in events),
        ),
    )


for _topic in TOPICS:
    router.on_any_batch(_topic)(on_events)
