"""Catalogue search for trading-platform front ends."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from listing.api.deps import Operator, catalogue_search, relevance_search, search_follower
from listing.api.search import schemas
from listing.api.search.query import QueryModel
from listing.api.search.route import DirectRoute
from listing.api.search.schemas import RebuildStarted
from listing.search import service
from listing.search.commands import SearchPatents
from shared.auth.dependencies import BEARER_SECURITY, authenticate
from shared.http.pagination import Page, page_json
from shared.http.routes import StrictRoute

# The busiest endpoint of all: served directly, without FastAPI's dependency solving.
router = APIRouter(route_class=DirectRoute)
# The operator's maintenance of the search indexes (ordinary routes).
operations = APIRouter(route_class=StrictRoute)

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
    state-funded patent unexploited five years after grant). With keywords, hits are
    sorted by relevance (BM25 over the Chinese words of title and abstract, plus the
    keywords themselves), each with its `score` and `matched_terms` for highlighting;
    sort by filing date or price instead with `sort`. Page with `cursor` (a cursor
    belongs to its query). Relevance follows the catalogue a moment behind; while this
    instance's index is still being built it answers 503 `search-index-building` with
    `Retry-After`. Example:
    `/v1/search/patents?q=电池&ipc=H01M&region=44&payment_mode=lump_sum&sort=price_asc`."""
    await authenticate(request)
    params = await _PARAMS(request)
    catalogue = await catalogue_search(request)
    relevance = await relevance_search(request)
    position = schemas.SearchPosition.decode(params.cursor) if params.cursor else None
    page = await service.search_patents(catalogue, relevance, _command(params, position))
    next_cursor = None
    if page.after is not None:
        key, number = page.after
        next_cursor = schemas.SearchPosition(f=page.fingerprint, k=key, n=number).cursor()
    elif page.offset is not None:
        next_cursor = schemas.SearchPosition(f=page.fingerprint, o=page.offset).cursor()
    # Each hit comes from PostgreSQL as PatentHit's JSON (search.queries, search.hits).
    return Response(page_json(page.hits, next_cursor), media_type="application/json")


def _command(
    params: schemas.PatentSearchParams, position: schemas.SearchPosition | None
) -> SearchPatents:
    after = None
    if position is not None and position.k is not None and position.n is not None:
        after = (position.k, position.n)
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
        after=after,
        offset=0 if position is None or position.o is None else position.o,
        fingerprint=None if position is None else position.f,
    )


@operations.post(
    "/search/index/rebuild",
    status_code=202,
    tags=["search"],
    summary="Rebuild this instance's relevance indexes from the catalogue",
)
async def rebuild_search_index(caller: Operator, request: Request) -> RebuildStarted:
    """The operator's rebuild: each relevance index of the instance that answers is built
    afresh from the catalogue beside the serving one, and swapped in once it has caught
    up; searches keep being served by the old index meanwhile. Every instance keeps its
    own indexes: call each instance to rebuild all."""
    follower = search_follower(request)
    return RebuildStarted(indexes=follower.rebuild())
