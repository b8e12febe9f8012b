"""Supply and demand endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from listing.api.deps import Caller, Lister, Operator, Requester
from listing.api.market import schemas
from listing.domain.market import Demand, SupplyListing
from listing.market import lifecycle, service
from listing.market.commands import (
    CloseListing,
    PublishDemand,
    PublishSupply,
    ReviewSupply,
    UpdateListing,
)
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, PageParams, TimeIdPosition
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)
ListingId = Annotated[str, Path(max_length=36)]
OwnReference = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        pattern=r"^[\w.:/-]+$",
        description="Only the caller's own listing published under this reference.",
    ),
]

_REPEAT: dict[int | str, dict[str, Any]] = {
    200: {"description": "Published before under the same `external_reference`."}
}
_CHANGE: dict[int | str, dict[str, Any]] = {
    403: {"description": "`listing-not-publisher`: another organisation published it."},
    404: {"description": "No such listing (or one the caller may not see)."},
    409: {"description": "`listing-closed`: it was withdrawn or expired."},
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
    connected platform receives (but the one it came from).

    A listing by, or on a patent of, a party restricted by a credit record in force
    (信用监管) is kept with `status: pending_review` and published only when the operator
    approves it (`POST /v1/supply-listings/{id}/approval`)."""
    command = PublishSupply(
        application_number=body.application_number,
        kind=body.kind,
        title=body.title,
        description=body.description,
        asking_price=body.asking_price,
        ipc_codes=tuple(body.ipc_codes),
        industry_codes=tuple(body.industry_codes),
        region_code=body.region_code,
        contact=body.contact,
        external_reference=body.external_reference,
        valid_until=body.valid_until,
    )
    listing, created = await service.publish_supply(uow, principal, command)
    await uow.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return schemas.SupplyListingPublic.model_validate(listing, from_attributes=True)


@router.get(
    "/supply-listings/review-queue",
    response_model=Page[schemas.SupplyListingPublic],
    tags=["supply and demand"],
    summary="Supply listings awaiting review (待审核供给信息, operator)",
)
async def supply_review_queue(
    page: PageDep, uow: UnitOfWorkDep, _: Operator
) -> Page[schemas.SupplyListingPublic]:
    """待审核的供给信息（挂牌方受信用监管限制），按提交先后排列。

    Supply listings held for the operator's review because their publisher, or a
    patentee of their patent, is restricted by a credit record: oldest first, paged by
    `cursor`. Operator only."""
    listings = await service.supply_review_queue(uow, page.limit, _after(page))
    return _supply_page(page, listings)


@router.post(
    "/supply-listings/{listing_id}/approval",
    response_model=schemas.SupplyListingPublic,
    tags=["supply and demand"],
    summary="Approve a listing held for review (审核通过, operator)",
)
async def approve_supply(
    listing_id: ListingId, uow: UnitOfWorkDep, _: Operator
) -> schemas.SupplyListingPublic:
    """审核通过：发布该供给信息。

    Publishes the listing as if it had never been held: `status: published` and
    `cn.ipmarket.listing.supply.published.v1` to every connected platform (but the one it
    came from). A listing not pending review is 409 `supply-listing-not-pending-review`."""
    listing = await service.review_supply(uow, ReviewSupply(listing_id, approved=True))
    await uow.commit()
    return schemas.SupplyListingPublic.model_validate(listing, from_attributes=True)


@router.post(
    "/supply-listings/{listing_id}/rejection",
    response_model=schemas.SupplyListingPublic,
    tags=["supply and demand"],
    summary="Reject a listing held for review (审核不通过, operator)",
)
async def reject_supply(
    listing_id: ListingId, body: schemas.SupplyRejection, uow: UnitOfWorkDep, _: Operator
) -> schemas.SupplyListingPublic:
    """审核不通过：该供给信息不予发布。

    The listing becomes `rejected` with the reason, which its publisher reads on the
    listing. It was never published, so no event is sent. A listing not pending review
    is 409 `supply-listing-not-pending-review`."""
    command = ReviewSupply(listing_id, approved=False, reason=body.reason)
    listing = await service.review_supply(uow, command)
    await uow.commit()
    return schemas.SupplyListingPublic.model_validate(listing, from_attributes=True)


@router.get(
    "/supply-listings/{listing_id}",
    response_model=schemas.SupplyListingPublic,
    tags=["supply and demand"],
    summary="One supply listing",
)
async def get_supply(
    listing_id: ListingId, uow: UnitOfWorkDep, principal: Caller
) -> schemas.SupplyListingPublic:
    """One listing. One held for review or rejected is seen only by its publisher and
    the operator; to anyone else it is 404 like an id that does not exist."""
    listing = await service.get_supply(uow, principal, listing_id)
    return schemas.SupplyListingPublic.model_validate(listing, from_attributes=True)


@router.get(
    "/supply-listings",
    response_model=Page[schemas.SupplyListingPublic],
    tags=["supply and demand"],
    summary="Supply listings, newest first",
)
async def list_supply(
    page: PageDep,
    uow: UnitOfWorkDep,
    principal: Caller,
    external_reference: OwnReference = None,
) -> Page[schemas.SupplyListingPublic]:
    """Published listings, and the caller's own that are held for review or rejected.
    With `external_reference`: the caller's own listing under that reference, whatever
    its status (none, or one)."""
    if external_reference is not None:
        mine = await service.own_supply(uow, principal, external_reference)
        return _supply_page(page, [mine] if mine else [])
    listings = await service.list_supply(uow, principal, page.limit, _after(page))
    return _supply_page(page, listings)


@router.patch(
    "/supply-listings/{listing_id}",
    response_model=schemas.SupplyListingPublic,
    responses=_CHANGE,
    tags=["supply and demand"],
    summary="Update a supply listing (publisher)",
)
async def update_supply(
    listing_id: ListingId,
    body: schemas.SupplyListingUpdate,
    principal: Lister,
    uow: UnitOfWorkDep,
) -> schemas.SupplyListingPublic:
    """修改供给信息：只改所传字段。

    Only the organisation that published the listing (a platform, for the listings it
    published) may change it. The fields sent replace the listing's, the others stay;
    the rules of publishing apply (wording; `valid_until` not past). `version` grows by
    one. A published listing's change reaches every connected platform (but the one it
    came from) as `cn.ipmarket.listing.supply.updated.v1`, carrying the whole listing; a
    listing pending review or rejected changes quietly. A closed listing is 409
    `listing-closed`."""
    command = UpdateListing(listing_id, body.changes())
    listing = await lifecycle.update_supply(uow, principal, command)
    await uow.commit()
    return schemas.SupplyListingPublic.model_validate(listing, from_attributes=True)


@router.post(
    "/supply-listings/{listing_id}/close",
    response_model=schemas.SupplyListingPublic,
    responses=_CHANGE,
    tags=["supply and demand"],
    summary="Withdraw a supply listing (publisher)",
)
async def close_supply(
    listing_id: ListingId, body: schemas.ListingClose, principal: Lister, uow: UnitOfWorkDep
) -> schemas.SupplyListingPublic:
    """撤回供给信息。

    The listing becomes `closed` with `closed_reason: withdrawn` (and the optional
    `note`); it leaves search and lists. A published one's close reaches every connected
    platform as `cn.ipmarket.listing.supply.closed.v1`, after any earlier event about it.
    Closing it again is 409 `listing-closed`. Listings with a `valid_until` close by
    themselves the day after it (Asia/Shanghai), with `closed_reason: expired`."""
    command = CloseListing(listing_id, body.note)
    listing = await lifecycle.close_supply(uow, principal, command)
    await uow.commit()
    return schemas.SupplyListingPublic.model_validate(listing, from_attributes=True)


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
    command = PublishDemand(
        title=body.title,
        description=body.description,
        technical_field=body.technical_field,
        ipc_codes=tuple(body.ipc_codes),
        industry_codes=tuple(body.industry_codes),
        budget_min=body.budget_min,
        budget_max=body.budget_max,
        region_code=body.region_code,
        deadline=body.deadline,
        contact=body.contact,
        external_reference=body.external_reference,
    )
    need, created = await service.publish_demand(uow, principal, command)
    await uow.commit()
    if not created:
        response.status_code = status.HTTP_200_OK
    return schemas.DemandPublic.model_validate(need, from_attributes=True)


@router.get(
    "/demands/{demand_id}",
    response_model=schemas.DemandPublic,
    tags=["supply and demand"],
    summary="One technical need",
)
async def get_demand(demand_id: ListingId, uow: UnitOfWorkDep, _: Caller) -> schemas.DemandPublic:
    need = await service.get_demand(uow, demand_id)
    return schemas.DemandPublic.model_validate(need, from_attributes=True)


@router.patch(
    "/demands/{demand_id}",
    response_model=schemas.DemandPublic,
    responses=_CHANGE,
    tags=["supply and demand"],
    summary="Update a technical need (requester)",
)
async def update_demand(
    demand_id: ListingId, body: schemas.DemandUpdate, principal: Requester, uow: UnitOfWorkDep
) -> schemas.DemandPublic:
    """修改技术需求：只改所传字段。

    Only the organisation that posted it may change it. The fields sent replace the
    demand's, the others stay; the rules of posting apply (wording, `budget_min` not above
    `budget_max`, a new `deadline` not past). It reaches every connected platform (but
    the one it came from) as `cn.ipmarket.listing.demand.updated.v1`, carrying the whole
    demand. A closed demand is 409 `listing-closed`."""
    command = UpdateListing(demand_id, body.changes())
    need = await lifecycle.update_demand(uow, principal, command)
    await uow.commit()
    return schemas.DemandPublic.model_validate(need, from_attributes=True)


@router.post(
    "/demands/{demand_id}/close",
    response_model=schemas.DemandPublic,
    responses=_CHANGE,
    tags=["supply and demand"],
    summary="Withdraw a technical need (requester)",
)
async def close_demand(
    demand_id: ListingId, body: schemas.ListingClose, principal: Requester, uow: UnitOfWorkDep
) -> schemas.DemandPublic:
    """撤回技术需求。

    The demand becomes `closed` with `closed_reason: withdrawn`; it reaches every
    connected platform as `cn.ipmarket.listing.demand.closed.v1`. A demand closes by
    itself the day after its `deadline` (Asia/Shanghai), with `closed_reason: expired`.
    Closing it again is 409 `listing-closed`."""
    command = CloseListing(demand_id, body.note)
    need = await lifecycle.close_demand(uow, principal, command)
    await uow.commit()
    return schemas.DemandPublic.model_validate(need, from_attributes=True)


@router.get(
    "/demands",
    response_model=Page[schemas.DemandPublic],
    tags=["supply and demand"],
    summary="Technical needs, newest first",
)
async def list_demands(
    page: PageDep,
    uow: UnitOfWorkDep,
    principal: Caller,
    external_reference: OwnReference = None,
) -> Page[schemas.DemandPublic]:
    """Published demands, newest first. With `external_reference`: the caller's own
    demand under that reference, whatever its status (none, or one)."""
    if external_reference is not None:
        mine = await service.own_demand(uow, principal, external_reference)
        needs = [mine] if mine else []
    else:
        needs = await service.list_demands(uow, principal, page.limit, _after(page))
    return Page(
        items=[schemas.DemandPublic.model_validate(d, from_attributes=True) for d in needs],
        next_cursor=_cursor(page, needs),
    )


def _supply_page(
    page: PageParams, listings: list[SupplyListing]
) -> Page[schemas.SupplyListingPublic]:
    return Page(
        items=[
            schemas.SupplyListingPublic.model_validate(s, from_attributes=True) for s in listings
        ],
        next_cursor=_cursor(page, listings),
    )


def _after(page: PageParams) -> tuple[datetime, str] | None:
    after = page.after(TimeIdPosition)
    return after.key if after else None


def _cursor(page: PageParams, listings: list[SupplyListing] | list[Demand]) -> str | None:
    if len(listings) < page.limit:
        return None
    last = listings[-1]
    return TimeIdPosition(t=last.created_at, id=last.id).cursor()
