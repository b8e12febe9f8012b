"""Every query of the figures: facts LEFT JOIN the patents' attributes, filtered, grouped
by the dimensions asked for and ordered by them (docs/statistics.md shows the national
monthly breakdown by province as it is sent)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from ip_statistics.domain.measures import PLEDGES
from ip_statistics.domain.query import INSTITUTIONS, FigureQuery, Filters, Reach, Viewer

# Every statement here is assembled from these constants; values travel as parameters.
# How each dimension reads from a fact (f) and its patent's attributes (a).
DIMENSION_SQL = {
    "month": "CAST(date_trunc('month', f.effective_on) AS date)",
    "province": "a.province_code",
    "city": "a.city_code",
    "industry_section": "a.industry_section",
    "industry_division": "a.industry_division",
    "party_type": "a.party_type",
    "detail": "f.detail",
}
COVERAGE_DIMENSIONS = ("province", "city", "industry_section", "industry_division", "party_type")
TIERS = ("A", "B", "C", "D")
_FROM = "FROM facts f LEFT JOIN patent_attributes a ON a.application_number = f.application_number"


@dataclass(frozen=True)
class FigureRow:
    keys: tuple[Any, ...]  # one per dimension, in the order asked
    count: int
    amount: Decimal | None
    tech_amount: Decimal | None


@dataclass(frozen=True)
class MeasureTotal:
    measure: str
    count: int
    amount: Decimal | None
    tech_amount: Decimal | None


@dataclass(frozen=True)
class CoverageRow:
    key: str | None
    patents: int
    inventoried: int
    tiers: dict[str, int]


def _attribute_filters(filters: Filters, params: dict[str, Any]) -> list[str]:
    where = []
    if filters.region is not None:
        where.append("a.region_code LIKE :region")
        params["region"] = filters.region + "%"
    if filters.industry_section is not None:
        where.append("a.industry_section = :section")
        params["section"] = filters.industry_section
    if filters.industry_division is not None:
        where.append("a.industry_division = :division")
        params["division"] = filters.industry_division
    if filters.party_type is not None:
        where.append("a.party_type = :party_type")
        params["party_type"] = filters.party_type
    return where


def _reach(viewer: Viewer, params: dict[str, Any], *, facts: bool = True) -> list[str]:
    if viewer.reach is Reach.OWNED:
        params["org"] = viewer.org_id
        owned = "a.owner_org_ids @> CAST(ARRAY[:org] AS varchar[])"
        if viewer.uscc is None:
            return [owned]
        # Listing's events name many patentees by their USCC alone.
        params["uscc"] = viewer.uscc
        return [f"({owned} OR a.owner_usccs @> CAST(ARRAY[:uscc] AS varchar[]))"]
    if viewer.reach is Reach.PLEDGEE and facts:
        params["org"] = viewer.org_id
        return ["f.party_org_id = :org"]
    return []


def figures_sql(query: FigureQuery, viewer: Viewer) -> tuple[str, dict[str, Any]]:
    """The aggregation a query asks for, and its parameters."""
    params: dict[str, Any] = {
        "measure": query.measure.key,
        "first": query.first_month,
        "end": query.end,
    }
    where = ["f.measure = :measure", "f.effective_on >= :first", "f.effective_on < :end"]
    where += _attribute_filters(query.filters, params)
    where += _reach(viewer, params)
    dims = [DIMENSION_SQL[d] for d in query.group_by]
    select = [*dims, "count(*)", "sum(f.amount)", "sum(f.tech_amount)"]
    sql = f"SELECT {', '.join(select)} {_FROM} WHERE {' AND '.join(where)}"
    if dims:
        positions = ", ".join(str(i) for i in range(1, len(dims) + 1))
        sql += f" GROUP BY {positions} ORDER BY {positions}"
    return sql, params


_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


def positional(sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """``:name`` parameters as asyncpg's ``$n``, each name numbered once."""
    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _PARAMETER.sub(number, sql), [params[name] for name in names]


def _row(found: Sequence[Any], dims: int) -> FigureRow:
    return FigureRow(tuple(found[:dims]), found[dims], found[dims + 1], found[dims + 2])


class FigureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def figures(self, query: FigureQuery, viewer: Viewer) -> list[FigureRow]:
        """The figures, read on the session's asyncpg connection (in its transaction):
        a national breakdown is a thousand rows and more, and SQLAlchemy's result rows
        cost more than the aggregate itself (docs/statistics.md, "The national monthly
        breakdown by province")."""
        sql, params = positional(*figures_sql(query, viewer))
        connection = await self._session.connection()
        raw = await connection.get_raw_connection()
        found = await raw.driver_connection.fetch(sql, *params)  # type: ignore[union-attr]
        dims = len(query.group_by)
        # Without a dimension, the one total row (count 0 when nothing matched).
        return [_row(r, dims) for r in found if dims or r[dims]]

    async def count_rows(self, query: FigureQuery, viewer: Viewer) -> int:
        sql, params = figures_sql(query, viewer)
        counted = f"SELECT count(*) FROM ({sql}) q"  # noqa: S608 - built from constants
        found = await self._session.scalar(text(counted), params)
        return int(found or 0)

    async def stream(self, query: FigureQuery, viewer: Viewer) -> AsyncIterator[FigureRow]:
        """The rows as PostgreSQL sends them (a server-side cursor)."""
        sql, params = figures_sql(query, viewer)
        dims = len(query.group_by)
        result = await self._session.stream(text(sql), params)
        async for found in result:
            if dims or found[0]:
                yield _row(found, dims)

    async def totals(self, first: date, end: date, viewer: Viewer) -> list[MeasureTotal]:
        """Each measure's count and sums over the days ``[first, end)``."""
        params: dict[str, Any] = {"first": first, "end": end}
        where = ["f.effective_on >= :first", "f.effective_on < :end", *_reach(viewer, params)]
        if viewer.reach is Reach.PLEDGEE:
            where.append("f.measure = :pledges")
            params["pledges"] = PLEDGES
        result = await self._session.execute(
            text(
                "SELECT f.measure, count(*), sum(f.amount), sum(f.tech_amount) "
                f"{_FROM} WHERE {' AND '.join(where)} GROUP BY f.measure"
            ),
            params,
        )
        return [MeasureTotal(r[0], r[1], r[2], r[3]) for r in result]

    async def coverage(
        self, dimension: str | None, filters: Filters, viewer: Viewer
    ) -> list[CoverageRow]:
        """Universities' and institutes' patents known, inventoried and per tier."""
        params: dict[str, Any] = {"institutions": list(INSTITUTIONS)}
        where = ["a.party_type = ANY(CAST(:institutions AS varchar[]))"]
        where += _attribute_filters(filters, params)
        where += _reach(viewer, params, facts=False)
        key = DIMENSION_SQL[dimension] if dimension else "NULL"
        tiers = ", ".join(f"count(*) FILTER (WHERE a.tier = '{t}')" for t in TIERS)
        sql = (
            f"SELECT {key}, count(*), count(a.inventoried_on), {tiers} "  # noqa: S608
            f"FROM patent_attributes a WHERE {' AND '.join(where)}"
        )
        if dimension:
            sql += " GROUP BY 1 ORDER BY 1"
        result = await self._session.execute(text(sql), params)
        return [
            CoverageRow(r[0], r[1], r[2], dict(zip(TIERS, r[3:], strict=True)))
            for r in result
            if dimension or r[1]
        ]
