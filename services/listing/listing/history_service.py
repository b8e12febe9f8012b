"""A patent's history across services: use cases."""

from __future__ import annotations

from datetime import datetime

from listing.domain import timeline
from listing.models import (
    TimelineEntryRecord,
)
from listing.repository import ListingRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.envelope import CloudEvent


async def record_history(uow: UnitOfWork, events: list[CloudEvent]) -> None:
    """One entry per patent each event names; a redelivered event is stored once."""
    entries = [
        TimelineEntryRecord(
            event_id=event.id,
            application_number=number,
            event_type=event.type,
            source=event.source,
            occurred_at=event.time,
            actor=event.actor,
            data=event.data,
        )
        for event in events
        for number in timeline.patents_named(event.data)
    ]
    if entries:
        await ListingRepository(uow.session).add_history(entries)


async def history(
    uow: UnitOfWork,
    principal: Principal,
    application_number: str,
    limit: int,
    after: tuple[datetime, str] | None,
) -> tuple[list[TimelineEntryRecord], bool]:
    """A patent's history, oldest first, and whether the caller sees pledge details
    (the patentees, banks and the operator do)."""
    repo = ListingRepository(uow.session)
    patent = await repo.get_patent(application_number)
    if patent is None:
        raise NotFound(f"patent {application_number} is not in the catalogue")
    party = principal.org_type in (OrgType.OPERATOR, OrgType.BANK) or (
        principal.uscc is not None and principal.uscc in {p.get("uscc") for p in patent.patentees}
    )
    return await repo.history(application_number, limit, after), party
