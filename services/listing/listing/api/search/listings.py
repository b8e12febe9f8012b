"""Search of supply listings and technical needs for trading-platform front ends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from listing.api.deps import Caller, search_index
from listing.api.search import listing_schemas as schemas
from listing.api.search.query import QueryModel
from listing.search import market
from shared.http.dependencies import get_generic_read_pool
from shared.http.pagination import Page, page_json
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)

_SUPPLY = QueryModel(schemas.SupplySearchParams)
_DEMANDS = QueryModel(schemas.DemandSearchParams)


@router.get(
    "/search/supply-listings",
    response_model=Page[schemas.SupplyHit],
    tags=["search"],
    summary="Search supply listings (供给信息)",
    openapi_extra=_SUPPLY.openapi,
)
async def search_supply(
    request: Request,
    _: Caller,
    params: Annotated[schemas.SupplySearchParams, Depends(_SUPPLY)],
) -> Response:
    """Published supply listings. Keywords match exactly as substrings of the title or
    description and rank by relevance (BM25 over the segmented text, plus the substring
    matches); each hit carries its `score` and `matched_terms`. Filter by the listing's
    IPC prefix, industry, region prefix, kind, asking price, and by the listed patent's
    type, patentee type, legal status, open licence payment mode and inventory facts (tier,
    willingness, intended mode, unexploited). Example:
    `/v1/search/supply-listings?q=固态电池&region=44&kind=transfer&price_max=1000000`."""
    command = market.SearchSupply(
        filters=_filters(params),
        kind=tuple(params.kind),
        patent_type=tuple(params.patent_type),
        patentee_type=tuple(params.patentee_type),
        status=tuple(params.status),
        payment_mode=tuple(params.payment_mode),
        tier=tuple(params.tier),
        willingness=tuple(params.willingness),
        intended_mode=tuple(params.intended_mode),
        unexploited=params.unexploited,
    )
    index = search_index(request, "supply_listings")
    return _page(await market.search_supply(index, await get_generic_read_pool(request), command))


@router.get(
    "/search/demands",
    response_model=Page[schemas.DemandHit],
    tags=["search"],
    summary="Search technical needs (技术需求)",
    openapi_extra=_DEMANDS.openapi,
)
async def search_demands(
    request: Request,
    _: Caller,
    params: Annotated[schemas.DemandSearchParams, Depends(_DEMANDS)],
) -> Response:
    """Published technical needs, searched like supply listings: keywords in the title,
    technical field or description, ranked by relevance; IPC, industry and region filters;
    `price_min`/`price_max` against the top of the budget. Example:
    `/v1/search/demands?q=热管理&ipc=H01M&price_min=500000`."""
    command = market.SearchDemands(filters=_filters(params))
    index = search_index(request, "demands")
    return _page(await market.search_demands(index, await get_generic_read_pool(request), command))


def _filters(params: schemas.ListingSearchParams) -> market.ListingFilters:
    position = None
    if params.cursor is not None:
        decoded = schemas.OffsetPosition.decode(params.cursor)
        position = (decoded.f, decoded.o)
    return market.ListingFilters(
        q=params.q,
        ipc=tuple(params.ipc),
        industry=tuple(params.industry),
        region=tuple(params.region),
        price_min=params.price_min,
        price_max=params.price_max,
        sort=params.sort,
        limit=params.limit,
        position=position,
    )


def _page(page: market.ListingPage) -> Response:
    cursor = None
    if page.offset is not None:
        cursor = schemas.OffsetPosition(f=page.fingerprint, o=page.offset).cursor()
    return Response(page_json(page.hits, cursor), media_type="application/json")
