"""A patent's history across services: use cases."""

from __future__ import annotations

from datetime import datetime

from listing.catalogue.repository import PatentRepository
from listing.domain import timeline
from listing.domain.timeline import TimelineEntry
from listing.history.commands import RecordHistory
from listing.history.repository import TimelineRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound


async def record_history(uow: UnitOfWork, command: RecordHistory) -> None:
    """One entry per patent each event names; a redelivered event is stored once."""
    entries = [
        TimelineEntry(
            event_id=event.event_id,
            application_number=number,
            event_type=event.event_type,
            source=event.source,
            occurred_at=event.occurred_at,
            actor=event.actor,
            data=event.data,
        )
        for event in command.events
        for number in timeline.patents_named(event.data)
    ]
    if entries:
        await TimelineRepository(uow.session).add(entries)


async def history(
    uow: UnitOfWork,
    principal: Principal,
    application_number: str,
    limit: int,
    after: tuple[datetime, str] | None,
) -> tuple[list[TimelineEntry], bool]:
    """A patent's history, oldest first, and whether the caller sees pledge details
    (the patentees, banks and the operator do)."""
    patent = await PatentRepository(uow.session).get(application_number)
    if patent is None:
        raise NotFound(f"patent {application_number} is not in the catalogue")
    party = principal.org_type in (OrgType.OPERATOR, OrgType.BANK) or patent.is_patentee(
        principal.uscc
    )
    return await TimelineRepository(uow.session).page(application_number, limit, after), party
