"""Webhooks endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, encode_cursor
from webhooks import service
from webhooks.api import schemas
from webhooks.api.deps import OperatorOrExchange
from webhooks.models import OutboundEventRecord

router = APIRouter(tags=["outbound-events"])


@router.get(
    "/outbound-events",
    response_model=Page[schemas.OutboundEventPublic],
    summary="Events queued for connected platforms",
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
    after = None
    if page.cursor:
        after = (datetime.fromisoformat(page.cursor["t"]), str(page.cursor["id"]))
    records = await service.list_outbound(
        uow, limit=page.limit, after=after, event_type=event_type, subject=subject
    )
    cursor = None
    if len(records) == page.limit:
        last = records[-1]
        cursor = encode_cursor({"t": last.received_at.isoformat(), "id": last.event_id})
    return Page(items=[_public(r) for r in records], next_cursor=cursor)


@router.get(
    "/outbound-events/{event_id}",
    response_model=schemas.OutboundEventPublic,
    summary="One queued event",
)
async def get_outbound_event(
    event_id: Annotated[str, Path(max_length=255)], uow: UnitOfWorkDep, _: OperatorOrExchange
) -> schemas.OutboundEventPublic:
    return _public(await service.get_outbound(uow, event_id))


def _public(record: OutboundEventRecord) -> schemas.OutboundEventPublic:
    return schemas.OutboundEventPublic.model_validate(
        service.as_cloud_event(record).to_structured()
    )
