"""Search and GET by id: read paths that bypass the ORM on purpose.

The two busiest reads of every front end run hand-written SQL on plain asyncpg, on the
read-only pools: no unit of work (BEGIN/ROLLBACK, pre-ping), no ORM, no statement
compilation, and PostgreSQL writes each answer's JSON itself (the API passes it through
instead of decoding, validating and encoding each row again in Python). They load no
aggregate and change nothing, so they are exempt from the load -> act -> save of the use
cases. How search works, and why it is built this way, is told in docs/benchmarks.md.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any

import asyncpg

from listing.domain.search import PatentQuery, SortOrder, window_size

# What a search hit shows (not the search columns themselves, which are large).
HIT_COLUMNS = (
    "application_number",
    "patent_number",
    "patent_type",
    "title",
    "ipc_codes",
    "industry_codes",
    "region_code",
    "filing_date",
    "grant_date",
    "patentees",
    "legal_status",
    "offer_payment_mode",
    "offer_price",
    "tier",
    "willingness",
    "intended_modes",
    "unexploited_flagged_on",
)
# What GET /v1/patents/{n} shows: everything but the search columns.
PUBLIC_COLUMNS = (
    "application_number",
    "patent_number",
    "patent_type",
    "title",
    "abstract",
    "ipc_codes",
    "industry_codes",
    "region_code",
    "filing_date",
    "grant_date",
    "expiry_date",
    "patentees",
    "legal_status",
    "annual_fee_status",
    "suspended",
    "under_preservation",
    "state_funded",
    "evaluation_report_favourable",
    "tier",
    "willingness",
    "intended_modes",
    "unexploited_flagged_on",
)
_MONEY = frozenset({"offer_price"})


def _json_object(columns: Sequence[str]) -> str:
    """The columns as one JSON object, written as text by PostgreSQL. Money keeps its two
    decimals as text; the patentees column holds exactly PatenteeOut's fields."""
    fields = (f"'{c}', {c}::text" if c in _MONEY else f"'{c}', {c}" for c in columns)
    return f"json_build_object({', '.join(fields)})::text"


# The two busiest reads pass PostgreSQL's JSON through instead of decoding, validating and
# encoding each row again in Python: a search hit (PatentHit) and a patent as
# GET /v1/patents/{n} shows it (PatentPublic). tests/listing/test_search.py holds
# both to their schemas.
HIT_JSON = _json_object(HIT_COLUMNS)
_READ_PATENT = (
    f"SELECT {_json_object(PUBLIC_COLUMNS)} FROM patents"  # noqa: S608
    " WHERE application_number = $1"
)


# -- GET by id --------------------------------------------------------------------------


async def read_patent(pool: asyncpg.Pool, application_number: str) -> str | None:
    """One patent as front ends fetch it, as JSON text (PatentPublic), on a
    read-only pool (a key lookup: the generic-plan one): the busiest read after search,
    so no unit of work (BEGIN/ROLLBACK, pre-ping) and no ORM."""
    found: str | None = await pool.fetchval(_READ_PATENT, application_number)
    return found


# -- search ------------------------------------------------------------------------------


class CatalogueSearch:
    """Catalogue search, on the read-only pool: hand-written SQL on plain asyncpg (the hot
    path of every front end: no unit of work, no ORM, no statement compilation). One per
    process: it remembers how large the catalogue is.

    Two plans, because no estimate tells a keyword in 20 % of the catalogue from one in
    0.01 %: first the next rows in sort order (a window, :func:`window_size`) are
    filtered on their small columns (instant for common terms: if they hold a full page,
    it is exactly the first page); otherwise the GIN index of ``search_keys`` intersects
    every keyword's bigrams and every filter and only the candidates are read (fast for
    rare terms). The matches are few exactly when the window fails.

    The window statement always scans the sort order's index, whatever the values, so it
    runs on a pool that plans it once (``window_pool``, generic plans); the index
    statement's plan depends on how common the keywords are, so ``index_pool`` plans it
    for its values every time.
    """

    # How long the catalogue's size (PostgreSQL's estimate, kept by ANALYZE) is trusted,
    # and how long a query whose window came back short goes straight to the index.
    size_ttl_s = 60.0
    index_first_ttl_s = 60.0
    index_first_max = 4096

    def __init__(self, window_pool: asyncpg.Pool, index_pool: asyncpg.Pool) -> None:
        self.window_pool = window_pool
        self.index_pool = index_pool
        self._rows = 0.0
        self._rows_checked = -math.inf
        # Queries (with their cursor) whose window held less than a page, and until when
        # to skip it: front ends repeat searches, and a rare term stays rare for a minute.
        # A stale entry costs time, never results: both plans give the same page.
        self._index_first: OrderedDict[Hashable, float] = OrderedDict()

    async def search(self, query: PatentQuery) -> list[asyncpg.Record]:
        window, full = search_sql(query, await self.window_rows(query.limit))
        if window is not None and not self._skips_window(query):
            rows: list[asyncpg.Record] = await self.window_pool.fetch(*window)
            if len(rows) == query.limit:
                return rows
            self._skip_window(query)
        found: list[asyncpg.Record] = await self.index_pool.fetch(*full)
        return found

    def _skips_window(self, query: PatentQuery) -> bool:
        until = self._index_first.get(query.shape())
        return until is not None and until > time.monotonic()

    def _skip_window(self, query: PatentQuery) -> None:
        shape = query.shape()
        self._index_first[shape] = time.monotonic() + self.index_first_ttl_s
        self._index_first.move_to_end(shape)
        while len(self._index_first) > self.index_first_max:
            self._index_first.popitem(last=False)

    async def window_rows(self, limit: int) -> int:
        now = time.monotonic()
        if now - self._rows_checked > self.size_ttl_s:
            estimate = await self.window_pool.fetchval(
                "SELECT reltuples FROM pg_class WHERE oid = 'patents'::regclass"
            )
            self._rows, self._rows_checked = float(estimate or 0), now
        return window_size(limit, self._rows)


SqlWithArgs = tuple[Any, ...]  # (sql, *arguments) as asyncpg's fetch takes them


class _Arguments:
    """Positional parameters of one statement: ``p(value, "date")`` -> ``$3::date``."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any, pg_type: str) -> str:
        self.values.append(value)
        return f"${len(self.values)}::{pg_type}"


def search_sql(
    query: PatentQuery, window_rows: int, *, as_json: bool = True
) -> tuple[SqlWithArgs | None, SqlWithArgs]:
    """The statement over the next ``window_rows`` rows in sort order (``None`` when
    nothing filters) and the statement through the index. Each returns a page of hits:
    a ``hit`` column of JSON text with the sort key and number for the cursor, or with
    ``as_json=False`` the :data:`HIT_COLUMNS`.

    Only column names and ``$n`` placeholders are spliced into the text; every value
    the caller gave is a parameter."""
    hits, order = ", ".join(HIT_COLUMNS), _ORDER[query.sort]
    p = _Arguments()
    where = _where(_position(query, p) + _matching(query, p, indexed=True))
    limit = p(query.limit, "int")
    full = f"SELECT {hits} FROM patents{where} ORDER BY {order} LIMIT {limit}"  # noqa: S608
    window: str | None = None
    w = _Arguments()
    filtered = query.keywords or query.facets or query.excluded
    if filtered or query.price_min is not None or query.price_max is not None:
        inner = _where(_position(query, w))
        outer = _where(_matching(query, w, indexed=False))
        limit = w(query.limit, "int")
        window = (
            f"SELECT {hits} FROM (SELECT {hits}, search_text, facet_keys FROM patents{inner} "  # noqa: S608
            f"ORDER BY {order} LIMIT {int(window_rows)}) AS window_rows{outer} "
            f"ORDER BY {order} LIMIT {limit}"
        )
    if as_json:
        # Written for the page's rows only: in the select list of the statement itself,
        # PostgreSQL would write every candidate before sorting (2-3x slower, filtered).
        full = _as_json(full, order)
        window = _as_json(window, order) if window else None
    return ((window, *w.values) if window else None), (full, *p.values)


def _as_json(page: str, order: str) -> str:
    return (
        f"SELECT {HIT_JSON} AS hit, filing_date, offer_price, application_number "  # noqa: S608
        f"FROM ({page}) AS page ORDER BY {order}"
    )


_ORDER = {
    SortOrder.NEWEST: "filing_date DESC, application_number DESC",
    SortOrder.OLDEST: "filing_date, application_number",
    SortOrder.PRICE_ASC: "offer_price, application_number",
}


def _where(conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


def _matching(query: PatentQuery, p: _Arguments, *, indexed: bool) -> list[str]:
    """What a hit must satisfy: every keyword, every facet group, the price range.

    ``indexed``: through the GIN index of ``search_keys`` (bigrams and facet keys in one
    containment test); otherwise on the small columns of rows already read. Either way
    each keyword is confirmed as a substring, so a hit is exact."""
    conditions: list[str] = []
    required = sorted(k for group in query.facets if len(group) == 1 for k in group)
    if indexed:
        grams = sorted({g for k in query.keywords for g in k.grams})
        if grams or required:
            conditions.append(f"search_keys @> {p([*grams, *required], 'varchar[]')}")
    elif required:
        conditions.append(f"facet_keys @> {p(required, 'varchar[]')}")
    conditions += [f"strpos(search_text, {p(k.text, 'text')}) > 0" for k in query.keywords]
    column = "search_keys" if indexed else "facet_keys"
    for group in query.facets:
        if len(group) > 1:
            conditions.append(f"{column} && {p(sorted(group), 'varchar[]')}")
    if query.excluded:
        conditions.append(f"NOT ({column} && {p(sorted(query.excluded), 'varchar[]')})")
    if query.price_min is not None:
        conditions.append(f"offer_price >= {p(query.price_min, 'numeric')}")
    if query.price_max is not None:
        conditions.append(f"offer_price <= {p(query.price_max, 'numeric')}")
    return conditions


def _position(query: PatentQuery, p: _Arguments) -> list[str]:
    """Rows after the cursor (and, sorted by price, only rows with a price)."""
    conditions: list[str] = []
    if query.sort is SortOrder.PRICE_ASC:
        conditions.append("offer_price IS NOT NULL")
    if query.after is not None:
        value, number = query.after
        key, pg_type = (
            ("offer_price", "numeric")
            if query.sort is SortOrder.PRICE_ASC
            else ("filing_date", "date")
        )
        op = "<" if query.sort is SortOrder.NEWEST else ">"
        conditions.append(
            f"({key}, application_number) {op} ({p(value, pg_type)}, {p(number, 'varchar')})"
        )
    return conditions
