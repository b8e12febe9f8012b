"""What the relevance indexes follow: one :class:`IndexSource` per kind of listing.

Register a new kind in :data:`SOURCES` (its table needs ``search_xid`` and its trigger:
migration ``20261207_search_feed``); the follower keeps one index per source.
"""

from __future__ import annotations

import asyncpg

from listing.search.engine.follower import IndexSource
from listing.search.engine.index import SearchDocument
from listing.search.listings import DemandSource, SupplySource


class PatentSource:
    """The catalogue: every patent is searchable (legal status is a filter)."""

    name = "patents"
    table = "patents"
    key = "application_number"
    select = "t.application_number, t.title, t.abstract, t.facet_keys, t.filing_date, t.offer_price"

    def document(self, row: asyncpg.Record) -> SearchDocument | None:
        return SearchDocument(
            id=row["application_number"],
            text=f"{row['title']}{row['abstract'] or ''}",
            keys=tuple(row["facet_keys"]),
            sort_date=row["filing_date"],
            price=row["offer_price"],
        )


SOURCES: list[IndexSource] = [PatentSource(), SupplySource(), DemandSource()]
