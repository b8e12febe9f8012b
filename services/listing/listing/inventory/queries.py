"""An institution's inventoried patents, as it (or the operator, or a regulator) lists
them: hand-written SQL on the read pool, bypassing the ORM on purpose (a read-only list
over the inventory records joined to the catalogue, paged or exported whole as CSV, that
loads no aggregate and changes nothing).

Only the filters given are written into the statement: a prepared statement of the
``$1 IS NULL OR column = $1`` kind gets a generic plan after a few runs that cannot use
the index on ``institution_uscc``, and an institution's few thousand patents would be
read out of 1.35 million records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg

from listing.domain.inventory import Willingness
from listing.domain.tiers import Tier


@dataclass(frozen=True)
class InventoriedPatentFilter:
    """Which inventoried patents: of one institution (the USCC its record names), in a
    tier, of a willingness, evaluated or not; None is any."""

    institution_uscc: str | None = None
    tier: Tier | None = None
    willingness: Willingness | None = None
    evaluated: bool | None = None


@dataclass(frozen=True)
class InventoriedPatent:
    """A line of the list: the record's public and management facts (inventors, notes,
    evaluations and the tier's reasons are read per patent)."""

    application_number: str
    title: str
    institution_uscc: str
    institution_name: str
    willingness: Willingness
    intended_modes: list[str]
    portfolios: list[str]
    state_funded: bool
    state_funding_project: str | None
    evaluated: bool
    tier: Tier | None
    computed_tier: Tier | None
    override_tier: Tier | None
    unexploited_flagged_on: date | None
    updated_at: datetime


_SELECT = """
SELECT r.application_number, p.title, r.institution_uscc, r.institution_name,
       r.willingness, r.intended_modes, r.portfolios, p.state_funded,
       r.state_funding_project, r.evaluated, r.tier, r.computed_tier, r.override_tier,
       p.unexploited_flagged_on, r.updated_at
FROM inventory_records r
JOIN patents p ON p.application_number = r.application_number
"""
_COLUMNS = {
    "institution_uscc": "r.institution_uscc",
    "tier": "r.tier",
    "willingness": "r.willingness",
    "evaluated": "r.evaluated",
}


def _statement(where: InventoriedPatentFilter, after: str | None) -> tuple[str, list[Any]]:
    conditions: list[str] = []
    args: list[Any] = []
    for name, column in _COLUMNS.items():
        value = getattr(where, name)
        if value is not None:
            args.append(value.value if isinstance(value, Tier | Willingness) else value)
            conditions.append(f"{column} = ${len(args)}")
    if after is not None:
        args.append(after)
        conditions.append(f"r.application_number > ${len(args)}")
    clause = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"{_SELECT} {clause} ORDER BY r.application_number", args


def _tier(value: str | None) -> Tier | None:
    return None if value is None else Tier(value)


def _patent(row: asyncpg.Record) -> InventoriedPatent:
    return InventoriedPatent(
        application_number=row["application_number"],
        title=row["title"],
        institution_uscc=row["institution_uscc"],
        institution_name=row["institution_name"],
        willingness=Willingness(row["willingness"]),
        intended_modes=list(row["intended_modes"]),
        portfolios=list(row["portfolios"]),
        state_funded=row["state_funded"],
        state_funding_project=row["state_funding_project"],
        evaluated=row["evaluated"],
        tier=_tier(row["tier"]),
        computed_tier=_tier(row["computed_tier"]),
        override_tier=_tier(row["override_tier"]),
        unexploited_flagged_on=row["unexploited_flagged_on"],
        updated_at=row["updated_at"],
    )


async def inventoried_page(
    pool: asyncpg.Pool, where: InventoriedPatentFilter, limit: int, after: str | None
) -> list[InventoriedPatent]:
    """A page in application-number order, after the application number ``after``."""
    sql, args = _statement(where, after)
    rows = await pool.fetch(f"{sql} LIMIT ${len(args) + 1}", *args, limit)
    return [_patent(row) for row in rows]


async def every_inventoried(
    pool: asyncpg.Pool, where: InventoriedPatentFilter
) -> AsyncIterator[InventoriedPatent]:
    """Every inventoried patent matching the filter, streamed (the CSV export)."""
    sql, args = _statement(where, None)
    async with pool.acquire() as conn, conn.transaction():
        async for row in conn.cursor(sql, *args, prefetch=500):
            yield _patent(row)
