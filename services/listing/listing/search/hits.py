"""A page of engine hits read back from PostgreSQL, for every search the engine ranks
(patents, supply listings, needs): the engine says which rows and in what order, the
table says what they are now.

One statement per page: the hits' ids, scores and matched terms go in as arrays, and
PostgreSQL writes each hit's JSON in the engine's order (``WITH ORDINALITY``), with its
``score`` and ``matched_terms``. A row gone from the table, or no longer searchable, is
left out, so a hit never shows a listing as it was.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence

import asyncpg

from listing.search.engine.index import EngineHit


def hits_sql(
    table: str,
    key: str,
    columns: Sequence[str],
    *,
    money: Collection[str] = (),
    where: str | None = None,
) -> str:
    """The statement for a page of ``table``'s hits. Money columns keep their two decimals
    as text. Only column names and a fixed condition are spliced in; the hits are
    parameters."""
    fields = ", ".join(f"'{c}', t.{c}::text" if c in money else f"'{c}', t.{c}" for c in columns)
    return (
        f"SELECT json_build_object({fields}, "  # noqa: S608
        "'score', h.score, 'matched_terms', h.terms::json)::text AS hit "
        "FROM unnest($1::text[], $2::float8[], $3::text[]) WITH ORDINALITY "
        f"AS h(id, score, terms, n) JOIN {table} AS t ON t.{key} = h.id"
        + (f" WHERE {where}" if where else "")
        + " ORDER BY h.n"
    )


async def read_hits(pool: asyncpg.Pool, sql: str, hits: Sequence[EngineHit]) -> list[str]:
    """The page's hits as JSON text, in the engine's order (one statement)."""
    if not hits:
        return []
    rows = await pool.fetch(
        sql,
        [h.id for h in hits],
        [h.score for h in hits],
        [json.dumps(list(h.matched_terms), ensure_ascii=False) for h in hits],
    )
    return [r["hit"] for r in rows]
