"""Search of supply listings and technical needs: use cases.

Keywords rank by relevance (the default with keywords) or the newest come first; filters
are facet keys as in the catalogue, so a front end asks the three searches alike. The
engine decides the page; PostgreSQL supplies the hits as they are now.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import asyncpg

from listing.domain import search
from listing.domain.errors import SearchQueryInvalid
from listing.domain.inventory import IntendedMode, Willingness
from listing.domain.market import SupplyKind
from listing.domain.patent import LegalStatus, PartyType
from listing.domain.tiers import Tier
from listing.search.engine.index import EngineQuery, SearchIndex
from listing.search.listings import DEMAND_HITS, SUPPLY_HITS, read_hits
from shared.domain import InvalidIdentifier, PatentType
from shared.domain.terms import PaymentMode


@dataclass(frozen=True)
class ListingFilters:
    """What supply listings and needs are both filtered by. Several values of one filter
    combine with OR, filters with AND."""

    q: str | None
    ipc: tuple[str, ...]
    industry: tuple[str, ...]
    region: tuple[str, ...]
    price_min: Decimal | None
    price_max: Decimal | None
    relevance: bool
    offset: int
    limit: int


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


def engine_query(
    filters: ListingFilters, groups: list[set[str]], excluded: set[str]
) -> EngineQuery:
    """The engine's query for these filters and extra facet groups;
    :class:`SearchQueryInvalid` names what is wrong."""
    try:
        groups = [
            {search.ipc_filter_key(v) for v in filters.ipc},
            {f"industry:{v}" for v in filters.industry},
            {f"region:{v}" for v in filters.region},
            *groups,
        ]
        keywords = search.keywords(filters.q) if filters.q else []
    except (ValueError, InvalidIdentifier) as exc:
        raise SearchQueryInvalid(str(exc)) from exc
    return EngineQuery(
        keywords=tuple(k.text for k in keywords),
        facets=tuple(frozenset(g) for g in groups if g),
        excluded=frozenset(excluded),
        price_min=filters.price_min,
        price_max=filters.price_max,
        order="relevance" if filters.relevance else "newest",
        offset=filters.offset,
        limit=filters.limit,
    )


def supply_query(command: SearchSupply) -> EngineQuery:
    groups = [
        {f"kind:{v.value}" for v in command.kind},
        {f"type:{v.value}" for v in command.patent_type},
        {f"patentee:{v.value}" for v in command.patentee_type},
        {f"status:{v.value}" for v in command.status},
        {f"mode:{v.value}" for v in command.payment_mode},
        {f"tier:{v.value}" for v in command.tier},
        {f"willing:{v.value}" for v in command.willingness},
        {f"intended:{v.value}" for v in command.intended_mode},
        {search.UNEXPLOITED_KEY} if command.unexploited else set(),
    ]
    excluded = {search.UNEXPLOITED_KEY} if command.unexploited is False else set()
    return engine_query(command.filters, groups, excluded)


async def search_supply(
    index: SearchIndex, pool: asyncpg.Pool, command: SearchSupply
) -> tuple[list[str], bool]:
    """A page of published supply listings as JSON text, and whether more may follow."""
    query = supply_query(command)
    hits = index.search(query)
    return await read_hits(pool, SUPPLY_HITS, hits), len(hits) == query.limit


async def search_demands(
    index: SearchIndex, pool: asyncpg.Pool, command: SearchDemands
) -> tuple[list[str], bool]:
    """A page of published needs as JSON text, and whether more may follow."""
    query = engine_query(command.filters, [], set())
    hits = index.search(query)
    return await read_hits(pool, DEMAND_HITS, hits), len(hits) == query.limit
