"""Coverage figures, read fresh at request time: one SQL aggregate over the institutions'
holdings joined to the inventory records, sent bare on the read pool.

A read path that bypasses the ORM on purpose: it changes nothing, and on a national
catalogue (1.35 million inventoried patents) loading rows to count them would cost far
more than the aggregate itself (docs/coverage.md has the figures beside the bare SQL).
National and regional figures count each patent once, by its ``counted`` holding."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from listing.domain.coverage import CoverageFigures, InstitutionCoverage, RegionCoverage

FIGURES = """
    count(*) AS valid,
    count(r.application_number) AS inventoried,
    count(*) FILTER (WHERE r.evaluated) AS evaluated,
    count(r.tier) AS tiered,
    count(*) FILTER (WHERE r.tier = 'A') AS tier_a,
    count(*) FILTER (WHERE r.tier = 'B') AS tier_b,
    count(*) FILTER (WHERE r.tier = 'C') AS tier_c,
    count(*) FILTER (WHERE r.tier = 'D') AS tier_d
"""
HOLDINGS = """
FROM institution_holdings h
LEFT JOIN inventory_records r ON r.application_number = h.application_number
"""
# An institution's figures come from two indexes alone (its valid holdings in number
# order, each patent's inventory facts beside its number): the table rows are not read,
# bar one for the name, as its highest-numbered (latest filed) valid patent gives it.
INSTITUTION_NAME = """
SELECT n.name FROM institution_holdings n WHERE n.uscc = $1 AND n.valid
ORDER BY n.application_number DESC LIMIT 1
"""
INSTITUTION_SQL = (
    f"SELECT ({INSTITUTION_NAME}) AS name, {FIGURES} {HOLDINGS} WHERE h.uscc = $1 AND h.valid"
)
NATIONAL_SQL = f"SELECT {FIGURES} {HOLDINGS} WHERE h.counted AND h.valid"
PROVINCES_SQL = f"""
SELECT h.province AS region, {FIGURES} {HOLDINGS} WHERE h.counted AND h.valid
GROUP BY h.province ORDER BY h.province NULLS LAST
"""
CITIES_SQL = f"""
SELECT h.city AS region, {FIGURES} {HOLDINGS} WHERE h.counted AND h.valid AND h.province = $1
GROUP BY h.city ORDER BY h.city NULLS FIRST
"""
INSTITUTIONS_SQL = f"""
SELECT h.uscc, max(h.name) AS name, {FIGURES} {HOLDINGS}
WHERE h.valid AND h.uscc > $1
GROUP BY h.uscc ORDER BY h.uscc
"""


def _figures(row: asyncpg.Record) -> CoverageFigures:
    return CoverageFigures(
        valid=row["valid"],
        inventoried=row["inventoried"],
        evaluated=row["evaluated"],
        tiered=row["tiered"],
        tier_a=row["tier_a"],
        tier_b=row["tier_b"],
        tier_c=row["tier_c"],
        tier_d=row["tier_d"],
    )


def _institution(row: asyncpg.Record) -> InstitutionCoverage:
    return InstitutionCoverage(row["uscc"], row["name"], _figures(row))


async def institution(pool: asyncpg.Pool, uscc: str) -> InstitutionCoverage:
    """On the read pool that plans a statement once (``GenericReadPoolDep``): the plan,
    its holdings in index order each probed in the inventory's index, is the same for
    every institution, and planning it again for each would only cost; a plan made for
    a large institution's own values can go back to hashing every inventory record."""
    row = await pool.fetchrow(INSTITUTION_SQL, uscc)
    return InstitutionCoverage(uscc, row["name"], _figures(row))


async def national(pool: asyncpg.Pool) -> CoverageFigures:
    return _figures(await pool.fetchrow(NATIONAL_SQL))


async def regions(pool: asyncpg.Pool, province: str | None) -> list[RegionCoverage]:
    """By province, or by city within ``province``."""
    args: tuple[Any, ...] = (province,) if province else ()
    rows = await pool.fetch(CITIES_SQL if province else PROVINCES_SQL, *args)
    return [RegionCoverage(row["region"], _figures(row)) for row in rows]


async def institutions_page(
    pool: asyncpg.Pool, limit: int, after: str | None
) -> list[InstitutionCoverage]:
    rows = await pool.fetch(f"{INSTITUTIONS_SQL} LIMIT $2", after or "", limit)
    return [_institution(row) for row in rows]


async def every_institution(pool: asyncpg.Pool) -> AsyncIterator[InstitutionCoverage]:
    """Every institution in USCC order, streamed from a server-side cursor (the CSV
    export: thousands of rows, never all in memory)."""
    async with pool.acquire() as conn, conn.transaction():
        async for row in conn.cursor(INSTITUTIONS_SQL, "", prefetch=500):
            yield _institution(row)
