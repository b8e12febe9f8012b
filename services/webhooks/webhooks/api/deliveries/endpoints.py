"""Deliveries: thin — parse, build the command, call the service, shape the response."""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime

from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from webhooks.api.deliveries import schemas
from webhooks.api.deps import (
    Id,
    OperatorOrExchange,
    OperatorOrExchangeWriter,
    page_after,
    wake_dispatcher,
)
from webhooks.deliveries import service
from webhooks.deliveries.commands import ReplayFailed
from webhooks.domain.delivery import Delivery, DeliveryStatus
from webhooks.domain.delivery_stats import DeliveryCounts

router = APIRouter(route_class=StrictRoute)


@router.get(
    "/endpoints/{endpoint_id}/deliveries",
    response_model=Page[schemas.DeliveryPublic],
    tags=["deliveries"],
    summary="An endpoint's deliveries (failures: status=failed)",
)
async def list_deliveries(
    endpoint_id: Id,
    page: PageDep,
    principal: OperatorOrExchange,
    uow: UnitOfWorkDep,
    delivery_status: Annotated[
        str | None, Query(alias="status", pattern="^(pending|succeeded|failed)$")
    ] = None,
) -> Page[schemas.DeliveryPublic]:
    records = await service.list_deliveries(
        uow,
        principal,
        endpoint_id,
        status=DeliveryStatus(delivery_status) if delivery_status else None,
        limit=page.limit,
        after=page_after(page),
    )
    cursor = None
    if len(records) == page.limit:
        last = records[-1]
        cursor = TimeIdPosition(t=last.created_at, id=last.id).cursor()
    return Page(items=[_delivery(d) for d in records], next_cursor=cursor)


@router.get(
    "/deliveries/{delivery_id}/attempts",
    response_model=list[schemas.AttemptPublic],
    tags=["deliveries"],
    summary="Every attempt of a delivery",
)
async def list_attempts(
    delivery_id: Id, principal: OperatorOrExchange, uow: UnitOfWorkDep
) -> list[schemas.AttemptPublic]:
    records = await service.attempts(uow, principal, delivery_id)
    return [schemas.AttemptPublic.model_validate(a, from_attributes=True) for a in records]


@router.post(
    "/deliveries/{delivery_id}/replay",
    response_model=schemas.DeliveryPublic,
    tags=["deliveries"],
    summary="Replay one failed delivery",
)
async def replay_delivery(
    delivery_id: Id,
    principal: OperatorOrExchangeWriter,
    uow: UnitOfWorkDep,
    _wake: Annotated[None, Depends(wake_dispatcher)],
) -> schemas.DeliveryPublic:
    """Sends it again under the same `webhook-id` with a fresh retry schedule."""
    delivery = await service.replay(uow, principal, delivery_id)
    await uow.commit()
    return _delivery(delivery)


@router.post(
    "/endpoints/{endpoint_id}/replay",
    response_model=schemas.ReplayResult,
    tags=["deliveries"],
    summary="Replay an endpoint's failed deliveries (optionally a time range)",
)
async def replay_endpoint(
    endpoint_id: Id,
    body: schemas.ReplayIn,
    principal: OperatorOrExchangeWriter,
    uow: UnitOfWorkDep,
    _wake: Annotated[None, Depends(wake_dispatcher)],
) -> schemas.ReplayResult:
    count = await service.replay_failed(
        uow, principal, ReplayFailed(endpoint_id, since=body.since, until=body.until)
    )
    await uow.commit()
    return schemas.ReplayResult(replayed=count)


@router.get(
    "/delivery-stats",
    response_model=schemas.DeliveryStatsPublic,
    tags=["deliveries"],
    summary="How deliveries went, per endpoint and in total, over a window",
)
async def delivery_stats(
    principal: OperatorOrExchange,
    uow: UnitOfWorkDep,
    since: Annotated[
        AwareDatetime | None,
        Query(
            description="Start of the window, RFC 3339 with an offset "
            "(`2026-12-01T00:00:00+08:00`); the last 24 hours when left out. At most 31 "
            "days back and not in the future, else 422 naming `since`."
        ),
    ] = None,
) -> schemas.DeliveryStatsPublic:
    """Per endpoint: its platform, its health now (`status`, `disabled_reason`,
    `consecutive_failures`), and what its deliveries came to in the window: delivered,
    failed attempts, given up, the success rate, the last success and the oldest
    delivery still pending. `totals` sums the counts over the endpoints listed.

    The operator sees every platform's endpoints; an exchange sees its own platform's
    (none, if it has not been connected). A failure shows here as `failed_attempts`
    at once, as `given_up` when its retries run out; a replay moves it back to
    `pending`, then to `delivered`."""
    start, now, stats = await service.delivery_stats(uow, principal, since)
    totals = sum((s.counts for s in stats), DeliveryCounts())
    return schemas.DeliveryStatsPublic(
        since=start,
        until=now,
        endpoints=[
            schemas.EndpointDeliveryStatsPublic(
                **{f.name: getattr(s, f.name) for f in fields(s) if f.name != "counts"},
                **_counts(s.counts),
            )
            for s in stats
        ],
        totals=schemas.DeliveryCountsPublic(**_counts(totals)),
    )


def _counts(counts: DeliveryCounts) -> dict[str, Any]:
    return {
        "delivered": counts.delivered,
        "failed_attempts": counts.failed_attempts,
        "pending": counts.pending,
        "given_up": counts.given_up,
        "success_rate": counts.success_rate,
    }


def _delivery(delivery: Delivery) -> schemas.DeliveryPublic:
    public = schemas.DeliveryPublic.model_validate(delivery, from_attributes=True)
    if delivery.status is not DeliveryStatus.PENDING:
        public.next_attempt_at = None
    return public
