"""Figure endpoints: the measures, the figures of a measure by month, region, industry,
party type and detail (JSON, CSV, XLSX), the inventory coverage and the year's summary."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from ip_statistics.api.deps import Reader
from ip_statistics.api.figures import exports, schemas
from ip_statistics.config import StatisticsSettings
from ip_statistics.domain.errors import ParameterInvalid
from ip_statistics.domain.measures import BY_KEY
from ip_statistics.domain.query import (
    FigureQuery,
    Filters,
    figure_query,
    parse_industry,
    parse_party_type,
    parse_region,
    readable_measures,
)
from ip_statistics.figures import service
from ip_statistics.figures.repository import COVERAGE_DIMENSIONS
from shared.http.dependencies import UnitOfWorkDep, get_runtime
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute, prefix="/statistics", tags=["statistics"])

MeasureParam = Annotated[
    str, Query(max_length=64, description="The measure's key (`GET /v1/statistics/measures`).")
]
GroupBy = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Zero to two of month, province, city, industry_section, "
        "industry_division, party_type, detail, comma-separated.",
        examples=["month,province"],
    ),
]
FromMonth = Annotated[
    str | None,
    Query(
        alias="from",
        max_length=16,
        description="The first month (YYYY-MM); January of this year if absent.",
    ),
]
ToMonth = Annotated[
    str | None,
    Query(max_length=16, description="The last month, included (YYYY-MM); this month if absent."),
]
Region = Annotated[
    str | None,
    Query(
        max_length=16,
        description="GB/T 2260: a province (44 or 440000), a city (4403 or 440300) or a "
        "county (440305).",
    ),
]
Industry = Annotated[
    str | None,
    Query(max_length=16, description="GB/T 4754-2017: a section (C) or a division (C38)."),
]
PartyType = Annotated[
    str | None,
    Query(
        max_length=32,
        description="The first patentee's type: university, research_institute, "
        "enterprise or individual.",
    ),
]


def asked(
    request: Request,
    measure: MeasureParam,
    group_by: GroupBy = None,
    first: FromMonth = None,
    to: ToMonth = None,
    region: Region = None,
    industry: Industry = None,
    party_type: PartyType = None,
) -> FigureQuery:
    """The figures the query parameters ask for (422 naming a parameter it refuses)."""
    return figure_query(
        measure=measure,
        group_by=group_by,
        first=first,
        last=to,
        region=region,
        industry=industry,
        party_type=party_type,
        today=get_runtime(request).clock.today(),
    )


Asked = Annotated[FigureQuery, Depends(asked)]


def _cap(request: Request) -> int:
    settings: StatisticsSettings = get_runtime(request).settings  # type: ignore[assignment]
    return settings.export_max_rows


@router.get("/measures", response_model=schemas.MeasuresOut, summary="What is counted")
async def measures(who: Reader) -> schemas.MeasuresOut:
    """Every measure the caller reads (a bank: `pledges` only): its key, its label in
    Chinese and English, what its amounts are, and the values of its `detail` dimension."""
    return schemas.MeasuresOut(measures=[schemas.MeasureOut.of(m) for m in readable_measures(who)])


@router.get(
    "/figures",
    response_model=schemas.FiguresOut,
    response_model_by_alias=True,
    summary="Figures of one measure",
)
async def figures(uow: UnitOfWorkDep, who: Reader, query: Asked) -> schemas.FiguresOut:
    """The count and sums of a measure's acts over the months `from`..`to` (by the day
    each took effect, Asia/Shanghai), grouped by up to two dimensions and ordered by them;
    a patent whose attributes are unknown groups under null. Regulators and the operator
    read every figure; a university, institute, enterprise or individual the figures of
    the patents it owns (now); a bank the pledges where it is the pledgee."""
    return schemas.figures_out(await service.figures(uow, who, query))


@router.get("/figures.csv", response_class=StreamingResponse, summary="Figures as CSV")
async def figures_csv(request: Request, who: Reader, query: Asked) -> StreamingResponse:
    """The rows of `GET /v1/statistics/figures` as CSV (UTF-8 with a byte order mark),
    streamed. At most `STATISTICS_EXPORT_MAX_ROWS` rows: a larger export is refused with
    422 `export-too-large` before anything is sent."""
    return await exports.csv_export(get_runtime(request), who, query, _cap(request))


@router.get("/figures.xlsx", response_class=StreamingResponse, summary="Figures as XLSX")
async def figures_xlsx(request: Request, who: Reader, query: Asked) -> StreamingResponse:
    """The rows of `GET /v1/statistics/figures` as an Excel workbook (amounts as
    numbers). Capped like the CSV export."""
    return await exports.xlsx_export(get_runtime(request), who, query, _cap(request))


@router.get("/inventory-coverage", response_model=schemas.CoverageOut, summary="Inventory coverage")
async def inventory_coverage(
    uow: UnitOfWorkDep,
    who: Reader,
    group_by: Annotated[
        str | None,
        Query(
            max_length=32,
            description="One of province, city, industry_section, industry_division, "
            "party_type; absent: one row for all.",
        ),
    ] = None,
    region: Region = None,
    industry: Industry = None,
    party_type: PartyType = None,
) -> schemas.CoverageOut:
    """Per group, the patents of universities and research institutes known, how many
    were inventoried (存量专利盘点), how many are in each tier now, and the share
    inventoried. Read like the figures (a bank reads none)."""
    if group_by is not None and group_by not in COVERAGE_DIMENSIONS:
        raise ParameterInvalid("group_by", f"one of {', '.join(COVERAGE_DIMENSIONS)}")
    section, division = parse_industry(industry)
    filters = Filters(parse_region(region), section, division, parse_party_type(party_type))
    rows = await service.coverage(uow, who, group_by, filters)
    return schemas.coverage_out(group_by, rows)


@router.get("/summary", response_model=schemas.SummaryOut, summary="This year at a glance")
async def summary(
    request: Request,
    uow: UnitOfWorkDep,
    who: Reader,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="This year if absent.")] = None,
) -> schemas.SummaryOut:
    """Each measure's count and amounts over the year (as the caller may read them), and
    the year's registered technology-contract value against the national target of
    8000 亿元 (专利转化运用专项行动方案（2023—2025年）)."""
    found = await service.summary(uow, who, year or get_runtime(request).clock.today().year)
    return schemas.summary_out(found, BY_KEY)
