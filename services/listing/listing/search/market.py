"""Search of supply listings and technical needs: use cases.

Keywords rank by relevance (the default with keywords) or the newest come first; filters
are facet keys as in the catalogue, so a front end asks the three searches alike. The
engine decides the page; PostgreSQL supplies the hits as they are now.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

import asyncpg

from listing.domain import search
from listing.domain.errors import CursorForAnotherQuery, SearchQueryInvalid
from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.market import SupplyKind
from listing.domain.market_search import ListingSort
from listing.domain.patent import LegalStatus, PartyType
from listing.domain.tiers import Tier
from listing.search import asked
from listing.search.engine.index import EngineQuery, SearchIndex
from listing.search.hits import read_hits
from listing.search.listings import DEMAND_HITS, SUPPLY_HITS
from shared.domain import PatentType
from shared.domain.terms import PaymentMode


@dataclass(frozen=True)
class ListingFilters:
    """What supply listings and needs are both searched by. Several values of one filter
    combine with OR, filters with AND. ``position``: the cursor's query fingerprint and
    offset."""

    q: str | None
    ipc: tuple[str, ...] = ()
    industry: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sort: ListingSort | None = None
    limit: int = 20
    position: tuple[str, int] | None = None


@dataclass(frozen=True)
class SearchSupply:
    filters: ListingFilters
    kind: tuple[SupplyKind, ...] = ()
    patent_type: tuple[PatentType, ...] = ()
    patentee_type: tuple[PartyType, ...] = ()
    status: tuple[LegalStatus, ...] = ()
    payment_mode: tuple[PaymentMode, ...] = ()
    tier: tuple[Tier, ...] = ()
    willingness: tuple[Willingness, ...] = ()
    intended_mode: tuple[IntendedMode, ...] = ()
    unexploited: bool | None = None


@dataclass(frozen=True)
class SearchDemands:
    filters: ListingFilters


@dataclass(frozen=True)
class ListingPage:
    """A page of hits as JSON text; the next page's offset (None on the last page) and the
    query's fingerprint, for its cursor."""

    hits: list[str]
    fingerprint: str
    offset: int | None


def engine_query(
    filters: ListingFilters, groups: list[set[str]], excluded: set[str]
) -> EngineQuery:
    """The engine's query for these filters and extra facet groups;
    :class:`SearchQueryInvalid` names the parameter that is wrong."""
    keywords = asked.query_keywords(filters.q)
    codes = asked.code_groups(filters.ipc, filters.industry, filters.region)
    asked.check_price_range(filters.price_min, filters.price_max)
    sort = filters.sort or (ListingSort.RELEVANCE if keywords else ListingSort.NEWEST)
    if sort is ListingSort.RELEVANCE and not keywords:
        raise SearchQueryInvalid("sorting by relevance needs keywords (q)", "sort")
    return EngineQuery(
        keywords=tuple(k.text for k in keywords),
        facets=tuple(frozenset(g) for g in [*codes, *groups] if g),
        excluded=frozenset(excluded),
        price_min=filters.price_min,
        price_max=filters.price_max,
        order=sort.value,
        offset=filters.position[1] if filters.position else 0,
        limit=filters.limit,
    )


def supply_query(command: SearchSupply) -> EngineQuery:
    facts, excluded = asked.fact_groups(
        patent_type=command.patent_type,
        patentee_type=command.patentee_type,
        status=command.status,
        payment_mode=command.payment_mode,
        tier=command.tier,
        willingness=command.willingness,
        intended_mode=command.intended_mode,
        unexploited=command.unexploited,
    )
    return engine_query(
        command.filters, [{f"kind:{v.value}" for v in command.kind}, *facts], excluded
    )


def fingerprint(kind: str, query: EngineQuery) -> str:
    """What a cursor carries to show which query issued it: everything that decides the
    result but the page (offset, limit)."""
    decisive = (
        kind,
        query.keywords,
        tuple(sorted(tuple(sorted(group)) for group in query.facets)),
        tuple(sorted(query.excluded)),
        query.price_min,
        query.price_max,
        query.order,
    )
    return hashlib.sha256(repr(decisive).encode()).hexdigest()[:16]


async def _page(
    index: SearchIndex,
    pool: asyncpg.Pool,
    sql: str,
    kind: str,
    query: EngineQuery,
    position: tuple[str, int] | None,
) -> ListingPage:
    """:class:`CursorForAnotherQuery` when the cursor came from another search."""
    issued = fingerprint(kind, query)
    if position is not None and position[0] != issued:
        raise CursorForAnotherQuery()
    hits = index.search(query)
    after = query.offset + query.limit
    more = len(hits) == query.limit and after < search.MAX_REACHABLE
    return ListingPage(await read_hits(pool, sql, hits), issued, after if more else None)


async def search_supply(
    index: SearchIndex, pool: asyncpg.Pool, command: SearchSupply
) -> ListingPage:
    """A page of published supply listings. A listing closed since the index last heard
    of it is left out, so a page may come short of the limit with a next page."""
    query = supply_query(command)
    position = command.filters.position
    return await _page(index, pool, SUPPLY_HITS, "supply", query, position)


async def search_demands(
    index: SearchIndex, pool: asyncpg.Pool, command: SearchDemands
) -> ListingPage:
    """A page of published needs, like :func:`search_supply`."""
    query = engine_query(command.filters, [], set())
    return await _page(index, pool, DEMAND_HITS, "demand", query, command.filters.position)
