"""Figures' use cases: the figures of a query, their export, the inventory coverage and
the year's summary, each as the caller may read them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ip_statistics.domain.errors import ExportTooLarge, FiguresNotYours
from ip_statistics.domain.measures import TECH_CONTRACTS
from ip_statistics.domain.query import (
    FigureQuery,
    Filters,
    Reach,
    Viewer,
    check_measure_readable,
    readable_measures,
)
from ip_statistics.figures.repository import (
    CoverageRow,
    FigureRepository,
    FigureRow,
    MeasureTotal,
)
from shared.db.uow import UnitOfWork

NATIONAL_TARGET_CNY = Decimal("800000000000")
"""The national target for the value of patent-related technology contracts (涉及专利的
技术合同成交额) by 2025: 8000 亿元, in 国务院办公厅《专利转化运用专项行动方案
（2023—2025年）》(国办发〔2023〕37号), 主要目标."""


@dataclass(frozen=True)
class Figures:
    query: FigureQuery
    rows: list[FigureRow]
    total: FigureRow


@dataclass(frozen=True)
class Summary:
    year: int
    totals: list[MeasureTotal]  # every measure the caller reads, in the catalogue's order
    tech_contract_value: Decimal
    target: Decimal


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


async def figures(uow: UnitOfWork, viewer: Viewer, query: FigureQuery) -> Figures:
    check_measure_readable(viewer, query.measure)
    rows = await FigureRepository(uow.session).figures(query, viewer)
    # Every fact falls in exactly one row, so the rows add up to the total.
    total = FigureRow(
        (),
        sum(r.count for r in rows),
        _sum([r.amount for r in rows]),
        _sum([r.tech_amount for r in rows]),
    )
    return Figures(query, rows, total)


async def export_rows(
    uow: UnitOfWork, viewer: Viewer, query: FigureQuery, cap: int
) -> AsyncIterator[FigureRow]:
    """The rows to export, streamed; refused before any is read when there would be
    more than ``cap``."""
    check_measure_readable(viewer, query.measure)
    repository = FigureRepository(uow.session)
    rows = await repository.count_rows(query, viewer)
    if rows > cap:
        raise ExportTooLarge(rows, cap)
    return repository.stream(query, viewer)


async def coverage(
    uow: UnitOfWork, viewer: Viewer, dimension: str | None, filters: Filters
) -> list[CoverageRow]:
    if viewer.reach is Reach.PLEDGEE:
        raise FiguresNotYours("a bank reads the pledges figures only")
    return await FigureRepository(uow.session).coverage(dimension, filters, viewer)


async def summary(uow: UnitOfWork, viewer: Viewer, year: int) -> Summary:
    found = {
        t.measure: t
        for t in await FigureRepository(uow.session).totals(
            date(year, 1, 1), date(year + 1, 1, 1), viewer
        )
    }
    totals = [
        found.get(m.key) or MeasureTotal(m.key, 0, None, None) for m in readable_measures(viewer)
    ]
    contracts = found.get(TECH_CONTRACTS)
    value = contracts.amount if contracts is not None and contracts.amount else Decimal(0)
    return Summary(year, totals, value, NATIONAL_TARGET_CNY)
