"""Outbound events (read): thin — parse, call the service, shape the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from webhooks.api.deps import OperatorOrExchange, page_after
from webhooks.api.outbound_events import schemas
from webhooks.mapping import as_cloud_event
from webhooks.models import OutboundEventRecord
from webhooks.outbound_events import service

router = APIRouter(route_class=StrictRoute)


@router.get(
    "/outbound-events",
    response_model=Page[schemas.OutboundEventPublic],
    tags=["outbound-events"],
    summary="Events received for delivery",
)
async def list_outbound_events(
    page: PageDep,
    uow: UnitOfWorkDep,
    _: OperatorOrExchange,
    event_type: Annotated[str | None, Query(alias="type", max_length=255)] = None,
    subject: Annotated[str | None, Query(max_length=255, examples=["201710601862.3"])] = None,
) -> Page[schemas.OutboundEventPublic]:
    """Every public event this service received for delivery, oldest first, in CloudEvents
    structured form. Filter by `type` and `subject` (a patent's application number)."""
    records = await service.list_outbound(
        uow, limit=page.limit, after=page_after(page), event_type=event_type, subject=subject
    )
    cursor = None
    if len(records) == page.limit:
        last = records[-1]
        cursor = TimeIdPosition(t=last.received_at, id=last.event_id).cursor()
    return Page(items=[_outbound(r) for r in records], next_cursor=cursor)


@router.get(
    "/outbound-events/{event_id}",
    response_model=schemas.OutboundEventPublic,
    tags=["outbound-events"],
    summary="One received event",
)
async def get_outbound_event(
    event_id: Annotated[str, Path(max_length=255)], uow: UnitOfWorkDep, _: OperatorOrExchange
) -> schemas.OutboundEventPublic:
    return _outbound(await service.get_outbound(uow, event_id))


def _outbound(record: OutboundEventRecord) -> schemas.OutboundEventPublic:
    return schemas.OutboundEventPublic.model_validate(as_cloud_event(record).to_structured())
