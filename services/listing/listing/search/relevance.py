"""Relevance-sorted catalogue search: the engine ranks, PostgreSQL shows.

The patents index (``listing.search.engine``) answers which patents match, in order of
relevance, with the terms each contains; the hits are then read from the catalogue in one
statement (``search.hits``), as PatentHit's JSON written by PostgreSQL, so a hit
always shows the patent as it is now, even when the index is a moment behind.
"""

from __future__ import annotations

import asyncpg

from listing.domain.search import PatentQuery
from listing.search.engine.follower import SearchFollower
from listing.search.engine.index import EngineQuery
from listing.search.hits import hits_sql, read_hits
from listing.search.queries import HIT_COLUMNS

_HITS = hits_sql("patents", "application_number", HIT_COLUMNS, money={"offer_price"})
INDEX = "patents"


class RelevanceSearch:
    """Relevance search over this instance's patents index, hits read on ``pool`` (a key
    lookup: the generic-plan read pool)."""

    def __init__(self, pool: asyncpg.Pool, follower: SearchFollower) -> None:
        self.pool = pool
        self.follower = follower

    async def search(self, query: PatentQuery) -> list[str]:
        """The page's hits as JSON text, each with its ``score`` and ``matched_terms``;
        :class:`~listing.search.engine.follower.SearchIndexBuilding` while the index is
        still being built."""
        index = self.follower.index(INDEX)
        return await read_hits(self.pool, _HITS, index.search(engine_query(query)))


def engine_query(query: PatentQuery) -> EngineQuery:
    return EngineQuery(
        keywords=tuple(k.text for k in query.keywords),
        facets=query.facets,
        excluded=query.excluded,
        price_min=query.price_min,
        price_max=query.price_max,
        order="relevance",
        offset=query.offset,
        limit=query.limit,
    )
