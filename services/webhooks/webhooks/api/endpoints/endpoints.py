"""Endpoints: thin — parse, build the command, call the service, shape the response."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from shared.circuit import CircuitStatus
from shared.db.uow import UnitOfWork
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page
from shared.http.routes import StrictRoute
from webhooks.api.deps import (
    Id,
    KeysDep,
    OperatorOrExchange,
    OperatorOrExchangeWriter,
    SettingsDep,
    one_page,
    page_after,
    wake_dispatcher,
)
from webhooks.api.endpoints import schemas
from webhooks.config import WebhooksSettings
from webhooks.domain.endpoint import Endpoint
from webhooks.domain.subscription import Filters
from webhooks.endpoints import service
from webhooks.endpoints.commands import AddEndpoint, RotateSecret, UpdateEndpoint

router = APIRouter(route_class=StrictRoute)


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
    endpoint, secret = await service.add_endpoint(
        uow,
        keys,
        principal,
        AddEndpoint(
            platform_id=platform_id,
            url=str(body.url),
            description=body.description,
            event_types=tuple(body.event_types),
            filters=_filters(body.filters),
            rate_limit_per_s=body.rate_limit_per_s,
            secret=body.secret,
        ),
    )
    await uow.commit()
    return schemas.EndpointWithSecret(**_public(endpoint).model_dump(), secret=secret)


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
        status=CircuitStatus(endpoint_status) if endpoint_status else None,
        limit=page.limit + 1,  # one more tells whether another page follows
        after=page_after(page),
    )
    records, cursor = one_page(records, page)
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
    endpoint = await service.update_endpoint(
        uow,
        keys,
        principal,
        UpdateEndpoint(
            endpoint_id=endpoint_id,
            url=None if body.url is None else str(body.url),
            description=body.description,
            event_types=None if body.event_types is None else tuple(body.event_types),
            filters=None if body.filters is None else _filters(body.filters),
            set_rate_limit="rate_limit_per_s" in body.model_fields_set,
            rate_limit_per_s=body.rate_limit_per_s,
            enabled=None if body.status is None else body.status is schemas.EndpointState.ACTIVE,
        ),
    )
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
        uow, keys, principal, RotateSecret(endpoint_id=endpoint_id, secret=body.secret)
    )
    await uow.commit()
    return schemas.SecretRotation(
        endpoint_id=endpoint.id, secret=secret, previous_secrets_expire_at=until
    )


def _filters(body: schemas.EndpointFilters) -> Filters:
    return Filters(**{name: tuple(values) for name, values in body.model_dump().items()})


def _public(endpoint: Endpoint) -> schemas.EndpointPublic:
    return schemas.EndpointPublic.model_validate(asdict(endpoint))


async def _endpoints(
    uow: UnitOfWork, settings: WebhooksSettings, endpoints: Sequence[Endpoint]
) -> list[schemas.EndpointPublic]:
    waits = await service.waiting(uow, [e.id for e in endpoints])
    out = []
    for endpoint in endpoints:
        public = _public(endpoint)
        wait = waits.get(endpoint.id)
        if wait is not None:
            public.waiting_since = wait.since
            public.stalled = wait.seconds > settings.stall_after_s
        out.append(public)
    return out
