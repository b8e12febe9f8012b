"""Catalogue search for trading-platform front ends."""

from __future__ import annotations

import asyncpg
from fastapi import APIRouter, Request, Response

from listing.api.deps import catalogue_search
from listing.api.search import schemas
from listing.api.search.query import QueryModel
from listing.api.search.route import DirectRoute
from listing.domain.search import SortOrder
from listing.search import service
from listing.search.commands import SearchPatents
from shared.auth.dependencies import BEARER_SECURITY, authenticate
from shared.http.pagination import Page, page_json

# The busiest endpoint of all: served directly, without FastAPI's dependency solving.
router = APIRouter(route_class=DirectRoute)

_PARAMS = QueryModel(schemas.PatentSearchParams)


@router.get(
    "/search/patents",
    response_model=Page[schemas.PatentHit],
    tags=["search"],
    summary="Search the catalogue (title and abstract, Chinese)",
    openapi_extra={**_PARAMS.openapi, "security": BEARER_SECURITY},
)
async def search_patents(request: Request) -> Response:
    """Keywords match exactly as substrings of the title or abstract (full-width and
    half-width, case and punctuation ignored), so `电池` finds 锂电池 and 电池管理. Filter
    by IPC prefix (`H01M`, `H01M 10`), industry, region prefix (`44`, `4403`), patent
    type, patentee type, legal status, the open licence's payment mode and its up-front
    price, the inventory's public facts (tier, willingness, intended mode, flagged as a
    state-funded patent unexploited five years after grant); sort by filing date or price;
    page with `cursor`. Example:
    `/v1/search/patents?q=电池&ipc=H01M&region=44&payment_mode=lump_sum&sort=price_asc`."""
    await authenticate(request)
    params = await _PARAMS(request)
    catalogue = await catalogue_search(request)
    after = schemas.SearchPosition.decode(params.cursor) if params.cursor else None
    rows = await service.search_patents(catalogue, _command(params, after))
    next_cursor = None
    if len(rows) == params.limit:
        next_cursor = _position(rows[-1], params.sort).cursor()
    # Each hit comes from PostgreSQL as PatentHit's JSON (search.queries.HIT_JSON).
    body = page_json([r["hit"] for r in rows], next_cursor)
    return Response(body, media_type="application/json")


def _position(row: asyncpg.Record, sort: SortOrder) -> schemas.SearchPosition:
    key = row["offer_price"] if sort is SortOrder.PRICE_ASC else row["filing_date"]
    return schemas.SearchPosition(k=str(key), n=row["application_number"])


def _command(
    params: schemas.PatentSearchParams, after: schemas.SearchPosition | None
) -> SearchPatents:
    return SearchPatents(
        q=params.q,
        ipc=tuple(params.ipc),
        industry=tuple(params.industry),
        region=tuple(params.region),
        patent_type=tuple(params.patent_type),
        patentee_type=tuple(params.patentee_type),
        status=tuple(params.status),
        payment_mode=tuple(params.payment_mode),
        tier=tuple(params.tier),
        willingness=tuple(params.willingness),
        intended_mode=tuple(params.intended_mode),
        unexploited=params.unexploited,
        price_min=params.price_min,
        price_max=params.price_max,
        sort=params.sort,
        limit=params.limit,
        after=None if after is None else (after.k, after.n),
    )
