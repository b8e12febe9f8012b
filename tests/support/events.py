"""Events as the services publish them, for tests that start from events: CloudEvents in
the project's envelope, produced to their topics on the session's broker, waited for in
the consuming service's inbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.events.envelope import CloudEvent
from shared.events.schemas import OrgRef, PatenteeRef
from shared.events.schemas.base import EVENT_TYPES, EventData
from shared.messaging.kafka import create_producer
from shared.settings import ServiceSettings
from tests.support.stack import Org, consumed


def envelope(
    data: EventData, time: datetime | None = None, event_id: str | None = None
) -> CloudEvent:
    """The event in its envelope, at ``time`` (now when None)."""
    extra = {} if time is None else {"time": time}
    return CloudEvent(
        id=event_id or str(uuid.uuid4()),
        source="/ipmarket/test",
        type=data.event_type,
        data=data.model_dump(mode="json"),
        subject=data.subject(),
        partitionkey=data.partition_key(),
        **extra,
    )


async def publish(settings: ServiceSettings, *events: CloudEvent) -> None:
    """Produce the events to their topics, in order, and wait until the service of
    ``settings`` has handled each (a copy of an event already handled is waited for by its
    successor)."""
    producer = create_producer(settings)
    await producer.start()
    try:
        for event in events:
            await producer.send_and_wait(
                EVENT_TYPES[event.type].topic,
                value=event.kafka_value(),
                key=(event.partitionkey or "").encode(),
                headers=event.kafka_headers(),
            )
    finally:
        await producer.stop()
    for event in events:
        await consumed(settings, event.id)


def ref(party: Org) -> OrgRef:
    return OrgRef(org_id=party.org_id, name=party.name, uscc=party.uscc)


def patentee(party: Org) -> PatenteeRef:
    return PatenteeRef(
        org_id=party.org_id, name=party.name, uscc=party.uscc, party_type=party.org_type.value
    )
