"""Search of supply listings and technical needs: what the engine indexes of them, and how
a page of hits is read back.

Both are indexed from their committed rows like the catalogue (``engine.follower``): a
listing that is published is a document, one that is not (pending review, rejected,
closed) is removed. The engine ranks and pages; the hits are then read from PostgreSQL in
one statement, in the engine's order, with the listing as it is now: a listing closed since
the index last heard of it is left out rather than shown open.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import asyncpg

from listing.domain.market_search import demand_keys, supply_keys
from listing.search.engine.index import EngineHit, SearchDocument

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
_MONEY = frozenset({"asking_price", "budget_min", "budget_max"})


def _hits_sql(table: str, columns: Sequence[str]) -> str:
    """The hits of one page as JSON text, in the engine's order, each with its score and
    matched terms. Only column names are spliced in; the ids are a parameter."""
    fields = ", ".join(f"'{c}', t.{c}::text" if c in _MONEY else f"'{c}', t.{c}" for c in columns)
    return (
        f"SELECT json_build_object({fields}, "  # noqa: S608
        "'score', h.score, 'matched_terms', h.terms::json)::text AS hit "
        f"FROM unnest($1::text[], $2::float8[], $3::text[]) WITH ORDINALITY "
        f"AS h(id, score, terms, n) JOIN {table} AS t ON t.id = h.id "
        f"WHERE t.status = '{_PUBLISHED}' ORDER BY h.n"
    )


SUPPLY_HITS = _hits_sql("supply_listings", _SUPPLY_HIT)
DEMAND_HITS = _hits_sql("demands", _DEMAND_HIT)


async def read_hits(pool: asyncpg.Pool, sql: str, hits: Sequence[EngineHit]) -> list[str]:
    """The page's hits as JSON text (one statement), dropping any no longer published."""
    if not hits:
        return []
    rows = await pool.fetch(
        sql,
        [h.id for h in hits],
        [h.score for h in hits],
        [json.dumps(list(h.matched_terms), ensure_ascii=False) for h in hits],
    )
    return [r["hit"] for r in rows]
