"""State-funded patents not exploited: the owner's implementation records, and the
regulators' list of flagged patents."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from listing.api.deps import NumberPath, Overseer, PatenteeOrOperator
from listing.api.export import FormatQuery, csv_response, wants_csv
from listing.api.funding import schemas
from listing.funding import queries, service
from shared.http.dependencies import PageDep, ReadPoolDep, UnitOfWorkDep
from shared.http.pagination import Page, Position
from shared.http.routes import StrictRoute
from shared.http.types import RegionCodeStr, UsccStr

router = APIRouter(route_class=StrictRoute)


class FlaggedPosition(Position):
    """After the patent flagged on ``d`` with application number ``n``."""

    d: date
    n: str


@router.post(
    "/patents/{application_number}/implementations",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ImplementationOut,
    tags=["inventory"],
    summary="Record implementation or a justified reason (owner or operator)",
)
async def record_implementation(
    application_number: NumberPath,
    body: schemas.ImplementationIn,
    principal: PatenteeOrOperator,
    uow: UnitOfWorkDep,
) -> schemas.ImplementationOut:
    """The patent is implemented (`implemented`), or there is a justified reason (正当理由)
    why it is not (`justified_reason`, with evidence documents filed for this patent).
    Either counts as exploitation: a state-funded patent is not flagged for it, and a
    standing flag is cleared (`cn.ipmarket.listing.state_funded.flag_cleared.v1`).
    Licences and transfers count without being recorded here. A patentee of the patent
    or the operator."""
    command = body.to_command(application_number)
    implementation = await service.record_implementation(uow, principal, command)
    await uow.commit()
    return schemas.ImplementationOut.of(implementation)


@router.get(
    "/inventory/state-funded/flagged",
    response_model=Page[schemas.FlaggedPatentOut],
    tags=["inventory"],
    summary="State-funded patents not exploited five years after grant",
)
async def flagged_patents(
    request: Request,
    pool: ReadPoolDep,
    page: PageDep,
    _: Overseer,
    institution: Annotated[
        UsccStr | None, Query(description="Only the patents this institution holds (USCC).")
    ] = None,
    region: Annotated[
        RegionCodeStr | None,
        Query(description="Only patents in this region: province, city or county code."),
    ] = None,
    format: FormatQuery = None,
) -> Response | Page[schemas.FlaggedPatentOut]:
    """The flagged patents, oldest flag first, one page at a time; the CSV export
    (`?format=csv`) holds them all. Regulators and the operator."""
    if wants_csv(request, format):
        flagged = queries.every_flagged(pool, institution, region)
        rows = (schemas.flagged_cells(f) async for f in flagged)
        return csv_response(schemas.FLAGGED_HEADER, rows, "state-funded-flagged.csv")
    after = page.after(FlaggedPosition)
    found = await queries.flagged_page(
        pool, institution, region, page.limit, (after.d, after.n) if after else None
    )
    last = found[-1] if len(found) == page.limit else None
    cursor = FlaggedPosition(d=last.flagged_on, n=last.application_number) if last else None
    return Page(
        items=[schemas.FlaggedPatentOut.of(f) for f in found],
        next_cursor=cursor.cursor() if cursor else None,
    )
