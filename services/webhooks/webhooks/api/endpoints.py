"""Webhooks endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Protocol, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.responses import JSONResponse

from shared.db.uow import UnitOfWork
from shared.http.dependencies import PageDep, UnitOfWorkDep, get_runtime
from shared.http.pagination import Page, PageParams, TimeIdPosition
from shared.http.routes import StrictRoute
from webhooks import service
from webhooks.adapters import Adapters
from webhooks.adapters.listing import ListingClient
from webhooks.api import schemas
from webhooks.api.deps import (
    BoxDep,
    KeysDep,
    Operator,
    OperatorOrExchange,
    OperatorOrExchangeWriter,
    SettingsDep,
    wake_dispatcher,
)
from webhooks.config import WebhooksSettings
from webhooks.models import DeliveryRecord, EndpointRecord, OutboundEventRecord, PlatformRecord

router = APIRouter(route_class=StrictRoute)
Id = Annotated[str, Path(max_length=36)]

# -- platforms ----------------------------------------------------------------------------


@router.post(
    "/platforms",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PlatformWithSecret,
    tags=["platforms"],
    summary="Connect a trading platform (operator)",
)
async def register_platform(
    body: schemas.PlatformCreate, _: Operator, uow: UnitOfWorkDep, keys: KeysDep
) -> schemas.PlatformWithSecret:
    """Connects a regional exchange or another system. Its own tokens (organisation type
    `exchange`, `org_id` as given) then manage its endpoints. The response carries the
    secret that signs the platform's inbound webhooks; it is not shown again."""
    platform, secret = await service.register_platform(uow, keys, body)
    await uow.commit()
    return schemas.PlatformWithSecret(**_platform(platform).model_dump(), inbound_secret=secret)


@router.get(
    "/platforms",
    response_model=Page[schemas.PlatformPublic],
    tags=["platforms"],
    summary="Connected platforms",
)
async def list_platforms(
    page: PageDep, principal: OperatorOrExchange, uow: UnitOfWorkDep
) -> Page[schemas.PlatformPublic]:
    """Every platform for the operator, its own for a platform; oldest first."""
    records = await service.list_platforms(
        uow,
        principal,
        limit=page.limit + 1,  # one more tells whether another page follows
        after=_after(page),
    )
    records, cursor = _one_page(records, page)
    return Page(items=[_platform(p) for p in records], next_cursor=cursor)


@router.get(
    "/platforms/{platform_id}",
    response_model=schemas.PlatformPublic,
    tags=["platforms"],
    summary="One connected platform",
)
async def get_platform(
    platform_id: Id, principal: OperatorOrExchange, uow: UnitOfWorkDep
) -> schemas.PlatformPublic:
    return _platform(await service.platform_for(uow, principal, platform_id))


@router.post(
    "/platforms/{platform_id}/inbound-secret/rotation",
    response_model=schemas.PlatformWithSecret,
    tags=["platforms"],
    summary="Replace the platform's inbound signing secret",
)
async def rotate_inbound_secret(
    platform_id: Id, principal: OperatorOrExchangeWriter, uow: UnitOfWorkDep, keys: KeysDep
) -> schemas.PlatformWithSecret:
    platform, secret = await service.rotate_inbound_secret(uow, keys, principal, platform_id)
    await uow.commit()
    return schemas.PlatformWithSecret(**_platform(platform).model_dump(), inbound_secret=secret)


# -- endpoints ----------------------------------------------------------------------------


@router.post(
    "/platforms/{platform_id}/endpoints",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.EndpointWithSecret,
    tags=["endpoints"],
    summary="Subscribe an endpoint to events",
)
async def add_endpoint(
    platform_id: Id,
    body: schemas.EndpointIn,
    principal: OperatorOrExchangeWriter,
    uow: UnitOfWorkDep,
    keys: KeysDep,
) -> schemas.EndpointWithSecret:
    """Every public event whose type matches `event_types` and whose patent matches the
    `filters` is delivered to `url` as a signed Standard Webhooks request with the
    CloudEvent in structured mode. Endpoints must be https on a public address in
    production. The signing secret is returned once."""
    endpoint, secret = await service.add_endpoint(uow, keys, principal, platform_id, body)
    await uow.commit()
    public = schemas.EndpointPublic.model_validate(endpoint, from_attributes=True)
    return schemas.EndpointWithSecret(**public.model_dump(), secret=secret)


@router.get(
    "/endpoints",
    response_model=Page[schemas.EndpointPublic],
    tags=["endpoints"],
    summary="Endpoints, oldest first (the operator sees disabled ones here)",
)
async def list_endpoints(
    page: PageDep,
    principal: OperatorOrExchange,
    uow: UnitOfWorkDep,
    settings: SettingsDep,
    platform_id: Annotated[str | None, Query(max_length=36)] = None,
    endpoint_status: Annotated[
        str | None, Query(alias="status", pattern="^(active|paused|disabled)$")
    ] = None,
) -> Page[schemas.EndpointPublic]:
    """Every endpoint for the operator, a platform's own for a platform; filter by
    `platform_id` and `status`. `status=disabled` lists the endpoints that were disabled
    (after failing for the configured period, on `410 Gone`, or by hand) with the reason
    and time."""
    records = await service.list_endpoints(
        uow,
        principal,
        platform_id=platform_id,
        status=endpoint_status,
        limit=page.limit + 1,  # one more tells whether another page follows
        after=_after(page),
    )
    records, cursor = _one_page(records, page)
    return Page(items=await _endpoints(uow, settings, records), next_cursor=cursor)


@router.get(
    "/endpoints/{endpoint_id}",
    response_model=schemas.EndpointPublic,
    tags=["endpoints"],
    summary="One endpoint and its health",
)
async def get_endpoint(
    endpoint_id: Id, principal: OperatorOrExchange, uow: UnitOfWorkDep, settings: SettingsDep
) -> schemas.EndpointPublic:
    """Its health: the circuit breaker's state, and whether deliveries are waiting with
    no attempt made (`waiting_since`, `stalled`)."""
    endpoint = await service.endpoint_for(uow, principal, endpoint_id)
    [public] = await _endpoints(uow, settings, [endpoint])
    return public


@router.patch(
    "/endpoints/{endpoint_id}",
    response_model=schemas.EndpointPublic,
    tags=["endpoints"],
    summary="Change, re-enable or disable an endpoint",
)
async def update_endpoint(
    endpoint_id: Id,
    body: schemas.EndpointPatch,
    principal: OperatorOrExchangeWriter,
    uow: UnitOfWorkDep,
    keys: KeysDep,
    settings: SettingsDep,
    _wake: Annotated[None, Depends(wake_dispatcher)],
) -> schemas.EndpointPublic:
    endpoint = await service.update_endpoint(uow, keys, principal, endpoint_id, body)
    await uow.commit()
    [public] = await _endpoints(uow, settings, [endpoint])
    return public


@router.post(
    "/endpoints/{endpoint_id}/secret/rotation",
    response_model=schemas.SecretRotation,
    tags=["endpoints"],
    summary="Rotate the signing secret with an overlap",
)
async def rotate_secret(
    endpoint_id: Id,
    body: schemas.SecretRotationIn,
    principal: OperatorOrExchangeWriter,
    uow: UnitOfWorkDep,
    keys: KeysDep,
) -> schemas.SecretRotation:
    """Until `previous_secrets_expire_at` every message carries one signature per secret
    (space-separated in `webhook-signature`), so the receiver can switch at any time."""
    endpoint, secret, until = await service.rotate_secret(
        uow, keys, principal, endpoint_id, body.secret
    )
    await uow.commit()
    return schemas.SecretRotation(
        endpoint_id=endpoint.id, secret=secret, previous_secrets_expire_at=until
    )


# -- deliveries ---------------------------------------------------------------------------


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
        uow, principal, endpoint_id, status=delivery_status, limit=page.limit, after=_after(page)
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
        uow, principal, endpoint_id, since=body.since, until=body.until
    )
    await uow.commit()
    return schemas.ReplayResult(replayed=count)


# -- inbound ------------------------------------------------------------------------------


@router.post(
    "/inbound/{platform_id}",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.InboundAccepted,
    tags=["inbound"],
    summary="A platform publishes a supply listing or demand (signed webhook)",
    responses={401: {"description": "Signature, timestamp or headers not accepted."}},
)
async def receive_inbound(
    platform_id: Id,
    request: Request,
    uow: UnitOfWorkDep,
    box: BoxDep,
    settings: SettingsDep,
) -> schemas.InboundAccepted | JSONResponse:
    """Signed like every Standard Webhooks message with the platform's inbound secret
    (`webhook-id`, `webhook-timestamp`, `webhook-signature`), verified on the raw body;
    a timestamp more than the tolerance away is refused, and so is a repeated
    `webhook-id`. The listing is created through listing's API for the platform, so it
    is validated like any other (its problem+json answer is passed back); it then
    reaches every other platform, never its source."""
    raw = await request.body()
    client: ListingClient = get_runtime(request).extras_of(Adapters).listing
    webhook_id, answer = await service.receive_inbound(
        uow,
        box,
        client,
        platform_id=platform_id,
        headers=request.headers,
        raw_body=raw,
        tolerance_s=settings.inbound_tolerance_s,
    )
    if not answer.created:
        return JSONResponse(
            answer.body, status_code=answer.status_code, media_type=answer.content_type
        )
    await uow.commit()
    return schemas.InboundAccepted(
        webhook_id=webhook_id,
        kind=str(answer.body.get("kind", "")),
        listing_id=str(answer.body.get("id")),
    )


# -- outbound events (read) ---------------------------------------------------------------


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
        uow, limit=page.limit, after=_after(page), event_type=event_type, subject=subject
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


# -- shaping ------------------------------------------------------------------------------


class _Created(Protocol):
    created_at: datetime
    id: str


R = TypeVar("R", bound=_Created)


def _one_page(records: list[R], page: PageParams) -> tuple[list[R], str | None]:
    """The page's records, from one more than a page fetched, and the cursor to the next
    page (none on the last: the extra record tells whether another follows)."""
    if len(records) <= page.limit:
        return records, None
    last = records[page.limit - 1]
    return records[: page.limit], TimeIdPosition(t=last.created_at, id=last.id).cursor()


def _after(page: PageParams) -> tuple[datetime, str] | None:
    """The position after which the requested page starts (every list here is ordered by
    a timestamp with the id breaking ties); another cursor is refused (422)."""
    after = page.after(TimeIdPosition)
    return after.key if after else None


def _outbound(record: OutboundEventRecord) -> schemas.OutboundEventPublic:
    return schemas.OutboundEventPublic.model_validate(
        service.as_cloud_event(record).to_structured()
    )


def _platform(record: PlatformRecord) -> schemas.PlatformPublic:
    return schemas.PlatformPublic.model_validate(record, from_attributes=True)


async def _endpoints(
    uow: UnitOfWork, settings: WebhooksSettings, records: Sequence[EndpointRecord]
) -> list[schemas.EndpointPublic]:
    waits = await service.waiting(uow, [r.id for r in records])
    out = []
    for record in records:
        public = schemas.EndpointPublic.model_validate(record, from_attributes=True)
        wait = waits.get(record.id)
        if wait is not None:
            public.waiting_since = wait.since
            public.stalled = wait.seconds > settings.stall_after_s
        out.append(public)
    return out


def _delivery(record: DeliveryRecord) -> schemas.DeliveryPublic:
    public = schemas.DeliveryPublic.model_validate(record, from_attributes=True)
    if record.status != "pending":
        public.next_attempt_at = None
    return public
