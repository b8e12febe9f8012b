"""Public events kept for delivery: the fan-out of each into per-endpoint deliveries,
and reading them back.

Services never commit; the caller's unit of work does.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from webhooks.deliveries.repository import DeliveriesRepository
from webhooks.domain.delivery import Delivery
from webhooks.domain.outbound_event import OutboundEvent
from webhooks.domain.subscription import EventAttributes
from webhooks.models import OutboundEventRecord, PatentAttributesRecord
from webhooks.repository import WebhooksRepository

PATENT_REGISTERED = "cn.ipmarket.listing.patent.registered.v1"


async def enqueue(uow: UnitOfWork, events: Sequence[OutboundEvent]) -> int:
    """Keep public events and queue one delivery per subscribed endpoint for each, in the
    same transaction as the consumer's inbox rows. Returns the number of deliveries
    queued.

    Endpoints of the platform an event came from are skipped (no echo); disabled
    endpoints get nothing while disabled. Each step is one statement for all the events
    (a fetch of a backlog brings hundreds): keeping them, the patents they register, the
    patents they are about, the endpoints, and their deliveries.
    """
    repo = WebhooksRepository(uow.session)
    received: list[tuple[OutboundEvent, datetime]] = []
    for event in events:
        # Lists sort by the time received: each event a moment after the one before it,
        # also when the clock reads the same for both.
        at = uow.clock.now()
        if received and at <= received[-1][1]:
            at = received[-1][1] + timedelta(microseconds=1)
        received.append((event, at))
    sequences = await repo.add_outbound(received)
    new = [(e, at) for e, at in received if e.event_id in sequences]
    if not new:  # the same events again: their deliveries exist already
        return 0
    await repo.upsert_patents([_patent(e) for e, _ in new if e.event_type == PATENT_REGISTERED])
    patents = await repo.get_patents(
        {str(e.data["application_number"]) for e, _ in new if e.data.get("application_number")}
    )
    endpoints = await repo.deliverable_endpoints()
    queued: list[Delivery] = []
    for event, at in new:
        attrs = _attributes(event, patents)
        queued += [
            Delivery(
                id=str(uuid.uuid4()),
                endpoint_id=endpoint.id,
                event_id=event.event_id,
                sequence=sequences[event.event_id],
                ordering_key=event.ordering_key,
                created_at=at,
                next_attempt_at=at,
            )
            for endpoint, org_id in endpoints
            if (event.origin_platform is None or event.origin_platform != org_id)
            and endpoint.wants(event.event_type, attrs)
        ]
    if queued:
        deliveries = DeliveriesRepository(uow.session)
        await deliveries.add_deliveries(queued)
        await deliveries.announce()
    return len(queued)


def _patent(event: OutboundEvent) -> PatentAttributesRecord:
    data = event.data
    return PatentAttributesRecord(
        application_number=str(data["application_number"]),
        patent_type=data.get("patent_type"),
        region_code=data.get("region_code"),
        ipc_codes=list(data.get("ipc_codes") or []),
        industry_codes=list(data.get("industry_codes") or []),
    )


def _attributes(
    event: OutboundEvent, patents: dict[str, PatentAttributesRecord]
) -> EventAttributes:
    """Filter attributes from the event's data, completed from the patent it is about."""
    data = event.data
    number = data.get("application_number")
    patent = patents.get(str(number)) if number else None
    return EventAttributes(
        region_code=data.get("region_code") or (patent.region_code if patent else None),
        ipc_codes=tuple(data.get("ipc_codes") or (patent.ipc_codes if patent else ())),
        industry_codes=tuple(
            data.get("industry_codes") or (patent.industry_codes if patent else ())
        ),
        patent_type=data.get("patent_type") or (patent.patent_type if patent else None),
    )


async def get_outbound(uow: UnitOfWork, event_id: str) -> OutboundEventRecord:
    """One received event (a read path: the row is shaped straight into a CloudEvent)."""
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
