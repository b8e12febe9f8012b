"""Supply and demand endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from listing import market_service as service
from listing.api import schemas
from listing.api.deps import Caller, Lister, Requester
from listing.models import DemandRecord, SupplyListingRecord
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, PageParams, TimeIdPosition
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)
ListingId = Annotated[str, Path(max_length=36)]

_REPEAT: dict[int | str, dict[str, Any]] = {
    200: {"description": "Published before under the same `external_reference`."}
}


@router.post(
    "/supply-listings",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.SupplyListingPublic,
    responses=_REPEAT,
    tags=["supply and demand"],
    summary="List a patent for transfer or licence (供给信息)",
)
async def publish_supply(
    body: schemas.SupplyListingCreate, principal: Lister, uow: UnitOfWorkDep, response: Response
) -> schemas.SupplyListingPublic:
    """A patentee, or a connected platform for one, offers a patent for transfer or a
    negotiated licence; publishes `cn.ipmarket.listing.supply.published.v1`, which every
    connected platform receives (but the one it came from)."""
    record, created = await service.publish_supply(uow, principal, body)
    await uow.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return schemas.SupplyListingPublic.model_validate(record, from_attributes=True)


@router.get(
    "/supply-listings/{listing_id}",
    response_model=schemas.SupplyListingPublic,
    tags=["supply and demand"],
    summary="One supply listing",
)
async def get_supply(
    listing_id: ListingId, uow: UnitOfWorkDep, _: Caller
) -> schemas.SupplyListingPublic:
    record = await service.get_listing(uow, SupplyListingRecord, listing_id)
    return schemas.SupplyListingPublic.model_validate(record, from_attributes=True)


@router.get(
    "/supply-listings",
    response_model=Page[schemas.SupplyListingPublic],
    tags=["supply and demand"],
    summary="Supply listings, newest first",
)
async def list_supply(
    page: PageDep, uow: UnitOfWorkDep, _: Caller
) -> Page[schemas.SupplyListingPublic]:
    rows = await service.list_listings(uow, SupplyListingRecord, page.limit, _after(page))
    return Page(
        items=[schemas.SupplyListingPublic.model_validate(r, from_attributes=True) for r in rows],
        next_cursor=_cursor(page, rows),
    )


@router.post(
    "/demands",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DemandPublic,
    responses=_REPEAT,
    tags=["supply and demand"],
    summary="Post a technical need (技术需求)",
)
async def publish_demand(
    body: schemas.DemandCreate, principal: Requester, uow: UnitOfWorkDep, response: Response
) -> schemas.DemandPublic:
    """Publishes `cn.ipmarket.listing.demand.published.v1` to every connected platform
    (but the one it came from). The deadline may not be past; the budget range is in
    CNY."""
    record, created = await service.publish_demand(uow, principal, body)
    await uow.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return schemas.DemandPublic.model_validate(record, from_attributes=True)


@router.get(
    "/demands/{demand_id}",
    response_model=schemas.DemandPublic,
    tags=["supply and demand"],
    summary="One technical need",
)
async def get_demand(demand_id: ListingId, uow: UnitOfWorkDep, _: Caller) -> schemas.DemandPublic:
    record = await service.get_listing(uow, DemandRecord, demand_id)
    return schemas.DemandPublic.model_validate(record, from_attributes=True)


@router.get(
    "/demands",
    response_model=Page[schemas.DemandPublic],
    tags=["supply and demand"],
    summary="Technical needs, newest first",
)
async def list_demands(page: PageDep, uow: UnitOfWorkDep, _: Caller) -> Page[schemas.DemandPublic]:
    rows = await service.list_listings(uow, DemandRecord, page.limit, _after(page))
    return Page(
        items=[schemas.DemandPublic.model_validate(r, from_attributes=True) for r in rows],
        next_cursor=_cursor(page, rows),
    )


def _after(page: PageParams) -> tuple[datetime, str] | None:
    after = page.after(TimeIdPosition)
    return after.key if after else None


def _cursor(page: PageParams, rows: list[SupplyListingRecord] | list[DemandRecord]) -> str | None:
    if len(rows) < page.limit:
        return None
    last = rows[-1]
    return TimeIdPosition(t=last.created_at, id=last.id).cursor()
