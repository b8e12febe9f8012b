"""History endpoints: a patent's timeline."""

from __future__ import annotations

from fastapi import APIRouter

from listing.api.deps import Caller, NumberPath
from listing.api.history import schemas
from listing.domain import timeline as timeline_rules
from listing.history import service
from shared.domain import ApplicationNumber
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)


@router.get(
    "/patents/{application_number}/timeline",
    response_model=Page[schemas.TimelineEntry],
    tags=["patents"],
    summary="A patent's history across every service (due diligence)",
)
async def timeline(
    application_number: NumberPath, page: PageDep, principal: Caller, uow: UnitOfWorkDep
) -> Page[schemas.TimelineEntry]:
    """Every event about the patent, oldest first: catalogue and status changes,
    transfers, declarations, licences, pledges and contract registrations. Pledge details
    are shown to the patentees, banks and the operator; others see that they happened."""
    after = page.after(TimeIdPosition)
    entries, party = await service.history(
        uow,
        principal,
        ApplicationNumber.parse(application_number).value,
        page.limit,
        after.key if after else None,
    )
    cursor = None
    if len(entries) == page.limit:
        last = entries[-1]
        cursor = TimeIdPosition(t=last.occurred_at, id=last.event_id).cursor()
    return Page(
        items=[
            schemas.TimelineEntry(
                event_id=e.event_id,
                event_type=e.event_type,
                label=timeline_rules.label(e.event_type),
                source=e.source,
                occurred_at=e.occurred_at,
                actor=e.actor,
                data=e.data if timeline_rules.shows_data(e.event_type, party=party) else None,
            )
            for e in entries
        ],
        next_cursor=cursor,
    )
