"""Listing's dependency aliases: who may call what."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from listing.search.engine.follower import SearchFollower
from listing.search.engine.index import SearchIndex
from listing.search.queries import CatalogueSearch
from listing.search.relevance import RelevanceSearch
from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import authenticate, require
from shared.auth.principal import PATENTEE_TYPES
from shared.http.dependencies import get_generic_read_pool, get_read_pool, get_runtime
from shared.http.types import ApplicationNumberStr

Caller = Annotated[Principal, Depends(authenticate)]
Patentee = Annotated[Principal, Depends(require(*PATENTEE_TYPES, scope=Scope.WRITE))]
PatenteeOrOperator = Annotated[
    Principal, Depends(require(*PATENTEE_TYPES, OrgType.OPERATOR, scope=Scope.WRITE))
]
Operator = Annotated[Principal, Depends(require(OrgType.OPERATOR, scope=Scope.OPERATE))]
# Who reads every institution's figures and lists (coverage, flagged state-funded patents).
Overseer = Annotated[Principal, Depends(require(OrgType.REGULATOR, OrgType.OPERATOR))]
# Patentees list their patents; connected platforms publish for theirs.
Lister = Annotated[
    Principal, Depends(require(*PATENTEE_TYPES, OrgType.EXCHANGE, scope=Scope.WRITE))
]
Requester = Annotated[
    Principal, Depends(require(*PATENTEE_TYPES, OrgType.EXCHANGE, scope=Scope.WRITE))
]

NumberPath = Annotated[
    ApplicationNumberStr,
    Path(description="Application number, any common form (CN/ZL prefix, dot optional)."),
]


async def catalogue_search(request: Request) -> CatalogueSearch:
    """The process's catalogue search (one per pair of read pools: it remembers the
    catalogue's size between requests). Search calls it directly (api.search.endpoints)."""
    window_pool = await get_generic_read_pool(request)
    index_pool = await get_read_pool(request)
    state = request.app.state
    search: CatalogueSearch | None = getattr(state, "catalogue_search", None)
    if search is None or (search.window_pool, search.index_pool) != (window_pool, index_pool):
        search = state.catalogue_search = CatalogueSearch(window_pool, index_pool)
    return search


def search_follower(request: Request) -> SearchFollower:
    """The process's relevance indexes and their follower (the worker ``search-index``)."""
    follower = get_runtime(request).workers.get(SearchFollower.NAME)
    if not isinstance(follower, SearchFollower):
        raise RuntimeError("this listing process runs no search follower")
    return follower


def search_index(request: Request, name: str) -> SearchIndex:
    """This instance's index of source ``name`` (503 while it is being built)."""
    return search_follower(request).index(name)


async def relevance_search(request: Request) -> RelevanceSearch:
    """The process's relevance search (search calls it directly, like catalogue_search)."""
    pool = await get_generic_read_pool(request)
    follower = search_follower(request)
    state = request.app.state
    search: RelevanceSearch | None = getattr(state, "relevance_search", None)
    if search is None or (search.pool, search.follower) != (pool, follower):
        search = state.relevance_search = RelevanceSearch(pool, follower)
    return search
