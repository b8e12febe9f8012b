"""Search of supply listings and technical needs: what the engine indexes of them, and how
a page of hits is read back.

Both are indexed from their committed rows like the catalogue (``engine.follower``): a
listing that is published is a document, one that is not (pending review, rejected,
closed) is removed. The engine ranks and pages; the hits are then read from PostgreSQL in
one statement (``search.hits``), in the engine's order, with the listing as it is now: a
listing closed since the index last heard of it is left out rather than shown open.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import asyncpg

from listing.domain.market_search import demand_keys, supply_keys
from listing.search.engine.index import SearchDocument
from listing.search.hits import hits_sql

_PUBLISHED = "published"


class SupplySource:
    """Supply listings, with the facts of their patent (the patents trigger touches a
    patent's published listings when those facts change, so they follow)."""

    name = "supply_listings"
    table = "supply_listings"
    key = "id"
    select = (
        "t.id, t.status, t.kind, t.title, t.description, t.ipc_codes, t.industry_codes, "
        "t.region_code, t.patent_type, t.asking_price, t.created_at, "
        "(SELECT p.facet_keys FROM patents AS p "
        "WHERE p.application_number = t.application_number) AS patent_keys"
    )

    def document(self, row: asyncpg.Record) -> SearchDocument | None:
        if row["status"] != _PUBLISHED:
            return None
        return SearchDocument(
            id=row["id"],
            text=f"{row['title']}\n{row['description'] or ''}",
            keys=supply_keys(
                kind=row["kind"],
                ipc_codes=_codes(row["ipc_codes"]),
                industry_codes=_codes(row["industry_codes"]),
                region_code=row["region_code"],
                patent_type=row["patent_type"],
                patent_keys=row["patent_keys"] or (),
            ),
            sort_date=row["created_at"],
            price=row["asking_price"],
        )


class DemandSource:
    """Technical needs. Their price is the top of the budget (its floor when only a floor
    is given): what a supplier filtering by price means by "a need worth at least X"."""

    name = "demands"
    table = "demands"
    key = "id"
    select = (
        "t.id, t.status, t.title, t.description, t.technical_field, t.ipc_codes, "
        "t.industry_codes, t.region_code, t.budget_min, t.budget_max, t.created_at"
    )

    def document(self, row: asyncpg.Record) -> SearchDocument | None:
        if row["status"] != _PUBLISHED:
            return None
        budget: Decimal | None = row["budget_max"] or row["budget_min"]
        return SearchDocument(
            id=row["id"],
            text=f"{row['title']}\n{row['technical_field'] or ''}\n{row['description']}",
            keys=demand_keys(
                ipc_codes=_codes(row["ipc_codes"]),
                industry_codes=_codes(row["industry_codes"]),
                region_code=row["region_code"],
            ),
            sort_date=row["created_at"],
            price=budget,
        )


def _codes(value: Any) -> list[str]:
    """A JSONB list of codes as the pool decodes it (a list, or its JSON text)."""
    if isinstance(value, str):
        decoded: list[str] = json.loads(value)
        return decoded
    return list(value or ())


# -- reading a page of hits ------------------------------------------------------------

_SUPPLY_HIT = (
    "id",
    "application_number",
    "kind",
    "title",
    "description",
    "asking_price",
    "currency",
    "ipc_codes",
    "industry_codes",
    "region_code",
    "patent_type",
    "contact",
    "source_org_id",
    "source_org_name",
    "source_platform",
    "external_reference",
    "status",
    "review_record_id",
    "rejection_reason",
    "valid_until",
    "version",
    "closed_reason",
    "closed_at",
    "closed_note",
    "created_at",
)
_DEMAND_HIT = (
    "id",
    "title",
    "description",
    "technical_field",
    "ipc_codes",
    "industry_codes",
    "budget_min",
    "budget_max",
    "currency",
    "region_code",
    "deadline",
    "contact",
    "source_org_id",
    "source_org_name",
    "source_platform",
    "external_reference",
    "status",
    "version",
    "closed_reason",
    "closed_at",
    "closed_note",
    "created_at",
)
_PUBLISHED_ONLY = f"t.status = '{_PUBLISHED}'"
SUPPLY_HITS = hits_sql(
    "supply_listings", "id", _SUPPLY_HIT, money={"asking_price"}, where=_PUBLISHED_ONLY
)
DEMAND_HITS = hits_sql(
    "demands", "id", _DEMAND_HIT, money={"budget_min", "budget_max"}, where=_PUBLISHED_ONLY
)
