"""Connected platforms: thin — parse, build the command, call the service, shape the
response."""

from __future__ import annotations

from fastapi import APIRouter, status

from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page
from shared.http.routes import StrictRoute
from webhooks.api.deps import (
    BoxDep,
    Id,
    Operator,
    OperatorOrExchange,
    OperatorOrExchangeWriter,
    one_page,
    page_after,
)
from webhooks.api.platforms import schemas
from webhooks.domain.platform import Platform
from webhooks.platforms import service
from webhooks.platforms.commands import RegisterPlatform

router = APIRouter(route_class=StrictRoute)


@router.post(
    "/platforms",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PlatformWithSecret,
    tags=["platforms"],
    summary="Connect a trading platform (operator)",
)
async def register_platform(
    body: schemas.PlatformCreate, _: Operator, uow: UnitOfWorkDep, box: BoxDep
) -> schemas.PlatformWithSecret:
    """Connects a regional exchange or another system. Its own tokens (organisation type
    `exchange`, `org_id` as given) then manage its endpoints. The response carries the
    secret that signs the platform's inbound webhooks; it is not shown again."""
    platform, secret = await service.register_platform(
        uow, box, RegisterPlatform(org_id=body.org_id, name=body.name, region_code=body.region_code)
    )
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
        after=page_after(page),
    )
    records, cursor = one_page(records, page)
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
    platform_id: Id, principal: OperatorOrExchangeWriter, uow: UnitOfWorkDep, box: BoxDep
) -> schemas.PlatformWithSecret:
    platform, secret = await service.rotate_inbound_secret(uow, box, principal, platform_id)
    await uow.commit()
    return schemas.PlatformWithSecret(**_platform(platform).model_dump(), inbound_secret=secret)


def _platform(platform: Platform) -> schemas.PlatformPublic:
    return schemas.PlatformPublic.model_validate(platform, from_attributes=True)
