"""Coverage endpoints (盘点覆盖率): figures read fresh at request time (coverage.queries),
as JSON or as a CSV export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from listing.api.coverage import schemas
from listing.api.deps import Caller, Overseer
from listing.api.export import FormatQuery, csv_response, wants_csv
from listing.coverage import queries
from listing.domain.errors import CoverageNotYours, CoverageQueryInvalid
from shared.auth import OrgType
from shared.http.dependencies import GenericReadPoolDep, PageDep, ReadPoolDep
from shared.http.pagination import Page, Position
from shared.http.routes import StrictRoute
from shared.http.types import RegionCodeStr, UsccStr

router = APIRouter(route_class=StrictRoute, prefix="/inventory/coverage", tags=["inventory"])

OVERSEERS = frozenset({OrgType.REGULATOR, OrgType.OPERATOR})
INSTITUTION_HEADER = ("uscc", "name", *schemas.FIGURE_COLUMNS)
REGION_HEADER = ("region_code", *schemas.FIGURE_COLUMNS)


class UsccPosition(Position):
    """After the institution with this USCC (the list's order)."""

    u: str


@router.get("", response_model=schemas.CoverageOut, summary="National coverage")
async def national_coverage(
    request: Request, pool: ReadPoolDep, _: Overseer, format: FormatQuery = None
) -> Response | schemas.CoverageOut:
    """The whole country's figures; a patent co-owned by several institutions counts once.
    Regulators and the operator."""
    figures = await queries.national(pool)
    if wants_csv(request, format):
        return csv_response(
            schemas.FIGURE_COLUMNS, [schemas.figure_cells(figures)], "coverage-national.csv"
        )
    return schemas.CoverageOut.of(figures)


@router.get(
    "/institutions",
    response_model=Page[schemas.InstitutionCoverageOut],
    summary="Every institution's coverage",
)
async def institutions_coverage(
    request: Request, pool: ReadPoolDep, page: PageDep, _: Overseer, format: FormatQuery = None
) -> Response | Page[schemas.InstitutionCoverageOut]:
    """Each institution holding valid patents, in USCC order, one page at a time; the CSV
    export (`?format=csv`) holds them all. Regulators and the operator."""
    if wants_csv(request, format):
        rows = (
            [c.uscc, c.name, *schemas.figure_cells(c.figures)]
            async for c in queries.every_institution(pool)
        )
        return csv_response(INSTITUTION_HEADER, rows, "coverage-institutions.csv")
    after = page.after(UsccPosition)
    found = await queries.institutions_page(pool, page.limit, after.u if after else None)
    cursor = UsccPosition(u=found[-1].uscc).cursor() if len(found) == page.limit else None
    items = [schemas.InstitutionCoverageOut.of_institution(c) for c in found]
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/institutions/{uscc}",
    response_model=schemas.InstitutionCoverageOut,
    summary="One institution's coverage",
)
async def institution_coverage(
    request: Request,
    uscc: Annotated[UsccStr, Path(description="The institution's unified social credit code.")],
    pool: GenericReadPoolDep,
    principal: Caller,
    format: FormatQuery = None,
) -> Response | schemas.InstitutionCoverageOut:
    """The figures of one institution's patents (co-owned ones included). An institution
    reads its own (its token's USCC); regulators and the operator read any."""
    if principal.org_type not in OVERSEERS and principal.uscc != uscc:
        raise CoverageNotYours(f"uscc: {uscc} is not the calling organisation's USCC")
    coverage = await queries.institution(pool, uscc)
    if wants_csv(request, format):
        row = [coverage.uscc, coverage.name, *schemas.figure_cells(coverage.figures)]
        return csv_response(INSTITUTION_HEADER, [row], f"coverage-{uscc}.csv")
    return schemas.InstitutionCoverageOut.of_institution(coverage)


@router.get(
    "/regions", response_model=list[schemas.RegionCoverageOut], summary="Coverage by region"
)
async def regions_coverage(
    request: Request,
    pool: ReadPoolDep,
    _: Overseer,
    province: Annotated[
        RegionCodeStr | None,
        Query(description="A province (`440000`): its cities' figures instead of provinces'."),
    ] = None,
    format: FormatQuery = None,
) -> Response | list[schemas.RegionCoverageOut]:
    """Figures by province (GB/T 2260 `xx0000`; municipalities such as Beijing are
    provinces), or with `province` by its cities (`xxxx00`); each patent counts once, in
    the region of its region code. Regulators and the operator."""
    if province is not None and not province.endswith("0000"):
        raise CoverageQueryInvalid(f"province: {province} is not a province-level code (xx0000)")
    found = await queries.regions(pool, province)
    if wants_csv(request, format):
        rows = [[c.region_code, *schemas.figure_cells(c.figures)] for c in found]
        return csv_response(REGION_HEADER, rows, f"coverage-regions-{province or 'cn'}.csv")
    return [schemas.RegionCoverageOut.of_region(c) for c in found]
