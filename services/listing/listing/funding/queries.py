"""The flagged state-funded patents, as regulators list them: hand-written SQL on the read
pool, bypassing the ORM on purpose (a read-only list over the catalogue, filtered by
institution through the holdings and by region, and exported whole as CSV)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg


@dataclass(frozen=True)
class FlaggedPatent:
    application_number: str
    patent_number: str
    title: str
    grant_date: date
    flagged_on: date
    region_code: str | None
    institutions: list[dict[str, Any]]  # {name, uscc} of its institutional patentees


FLAGGED_SQL = """
SELECT p.application_number, p.patent_number, p.title, p.grant_date,
       p.unexploited_flagged_on AS flagged_on, p.region_code,
       (SELECT coalesce(json_agg(json_build_object('name', h.name, 'uscc', h.uscc)
                                 ORDER BY h.uscc), '[]')
        FROM institution_holdings h
        WHERE h.application_number = p.application_number) AS institutions
FROM patents p
WHERE p.unexploited_flagged_on IS NOT NULL
  AND ($1::text IS NULL OR EXISTS (
        SELECT 1 FROM institution_holdings h
        WHERE h.uscc = $1 AND h.application_number = p.application_number))
  AND ($2::text IS NULL OR p.region_code LIKE $2 || '%')
  AND (p.unexploited_flagged_on, p.application_number) > ($3::date, $4::text)
ORDER BY p.unexploited_flagged_on, p.application_number
"""
_START = (date.min, "")


def region_prefix(region_code: str | None) -> str | None:
    """The prefix of region codes within ``region_code``: ``44`` for a province
    (``440000``), ``4403`` for a city (``440300``), the whole code for a county."""
    if region_code is None:
        return None
    if region_code.endswith("0000"):
        return region_code[:2]
    if region_code.endswith("00"):
        return region_code[:4]
    return region_code


def _json(value: Any) -> Any:
    # The read pools decode json themselves; a plain connection gives the text.
    return json.loads(value) if isinstance(value, str) else value


def _flagged(row: asyncpg.Record) -> FlaggedPatent:
    return FlaggedPatent(
        application_number=row["application_number"],
        patent_number=row["patent_number"],
        title=row["title"],
        grant_date=row["grant_date"],
        flagged_on=row["flagged_on"],
        region_code=row["region_code"],
        institutions=_json(row["institutions"]),
    )


async def flagged_page(
    pool: asyncpg.Pool,
    uscc: str | None,
    region_code: str | None,
    limit: int,
    after: tuple[date, str] | None,
) -> list[FlaggedPatent]:
    rows = await pool.fetch(
        f"{FLAGGED_SQL} LIMIT $5", uscc, region_prefix(region_code), *(after or _START), limit
    )
    return [_flagged(row) for row in rows]


async def every_flagged(
    pool: asyncpg.Pool, uscc: str | None, region_code: str | None
) -> AsyncIterator[FlaggedPatent]:
    """Every flagged patent matching the filters, streamed (the CSV export)."""
    async with pool.acquire() as conn, conn.transaction():
        args = (uscc, region_prefix(region_code), *_START)
        async for row in conn.cursor(FLAGGED_SQL, *args, prefetch=500):
            yield _flagged(row)
