"""Outcome endpoints: what came of the pushes (the funnel) and of an institution's
inventoried patents (the industrialisation rate), read fresh at request time
(outcomes.queries), as JSON or as CSV exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from matching.api.deps import Caller, Oversight
from matching.api.outcomes import schemas
from matching.api.outcomes.export import capped_csv
from matching.config import MatchingSettings
from matching.domain.errors import OutcomeCampaignUnknown, OutcomePatentUnknown, OutcomesNotYours
from matching.domain.outcome import may_read
from matching.outcomes import queries
from matching.outcomes.queries import InstitutionOrder
from shared.auth import Principal
from shared.http.dependencies import PageDep, UnitOfWorkDep, get_runtime
from shared.http.pagination import Page, Position
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr, UsccStr

router = APIRouter(route_class=StrictRoute, prefix="/outcomes", tags=["outcomes"])

InstitutionUscc = Annotated[
    UsccStr, Path(description="The institution's unified social credit code.")
]


class RankPosition(Position):
    """After the institution with this sort key and USCC (the list's order)."""

    k: float
    u: str


def _check_reader(principal: Principal, owners: tuple[str, ...], what: str) -> None:
    if not may_read(principal.org_type, principal.uscc, owners):
        raise OutcomesNotYours(f"{what} is not the calling organisation's (its USCC)")


@router.get(
    "/patents/{application_number}",
    response_model=schemas.PatentOutcomesOut,
    summary="One patent's outcomes",
)
async def patent_outcomes(
    application_number: Annotated[ApplicationNumberStr, Path(description="The patent.")],
    uow: UnitOfWorkDep,
    principal: Caller,
) -> schemas.PatentOutcomesOut:
    """The funnel of the patent's pushes (pushed -> opened -> positive feedback -> deal
    -> royalties paid, counted in pairs of the patent and an enterprise it was pushed
    to) and whether it was ever put to use. Its owners read it; regulators and the
    operator read any."""
    found = await queries.patent(uow.session, application_number)
    if found is None:
        raise OutcomePatentUnknown(f"application_number: matching knows no {application_number}")
    _check_reader(principal, found.owner_usccs, f"application_number: {application_number}")
    return schemas.PatentOutcomesOut.of(found)


@router.get(
    "/institutions",
    response_model=Page[schemas.InstitutionOutcomesOut],
    summary="Institutions ranked by their outcomes",
)
async def institutions_outcomes(
    uow: UnitOfWorkDep,
    page: PageDep,
    _: Oversight,
    order: Annotated[
        InstitutionOrder,
        Query(
            description="Highest industrialisation rate first (institutions with no "
            "inventoried patent last), or most pushes first; ties by USCC."
        ),
    ] = InstitutionOrder.INDUSTRIALISATION_RATE,
) -> Page[schemas.InstitutionOutcomesOut]:
    """Every institution holding inventoried or pushed patents, with its
    industrialisation rate and funnel, one page at a time. Regulators and the operator;
    `institutions.csv` exports the list."""
    after = page.after(RankPosition)
    found = await queries.institutions_page(
        uow.session, order, page.limit, (after.k, after.u) if after else None
    )
    last = found[-1] if len(found) == page.limit else None
    cursor = RankPosition(k=last.sort_key, u=last.uscc).cursor() if last else None
    return Page(items=[schemas.InstitutionOutcomesOut.of(f) for f in found], next_cursor=cursor)


@router.get(
    "/institutions.csv",
    response_class=StreamingResponse,
    summary="Institutions' outcomes as CSV",
)
async def institutions_csv(request: Request, _: Oversight) -> StreamingResponse:
    """Every institution of the list, highest industrialisation rate first, as CSV
    (UTF-8 with a byte order mark). At most `MATCHING_OUTCOMES_CSV_MAX_ROWS` rows; when
    the cap cut it short, `X-Export-Capped: <rows>/<all rows>`. Regulators and the
    operator."""
    cap = _cap(request)
    return await capped_csv(
        get_runtime(request),
        lambda session: queries.every_institution(session, cap),
        schemas.INSTITUTION_COLUMNS,
        schemas.institution_cells,
        filename="outcomes-institutions.csv",
        cap=cap,
    )


@router.get(
    "/institutions/{uscc}",
    response_model=schemas.InstitutionOutcomesOut,
    summary="One institution's outcomes",
)
async def institution_outcomes(
    uscc: InstitutionUscc, uow: UnitOfWorkDep, principal: Caller
) -> schemas.InstitutionOutcomesOut:
    """The funnel over the institution's patents (those whose owning university or
    institute it is) and its industrialisation rate: inventoried patents with any
    implementation (a licence of any kind, a transfer, an implementation recorded),
    over its inventoried patents. An institution reads its own (its token's USCC);
    regulators and the operator read any."""
    _check_reader(principal, (uscc,), f"uscc: {uscc}")
    return schemas.InstitutionOutcomesOut.of(await queries.institution(uow.session, uscc))


@router.get(
    "/patents.csv",
    response_class=StreamingResponse,
    summary="Patents' outcomes as CSV",
)
async def patents_csv(
    request: Request,
    principal: Caller,
    institution: Annotated[
        UsccStr | None,
        Query(
            description="The institution whose patents to export; regulators and the "
            "operator may leave it out for every institution's."
        ),
    ] = None,
) -> StreamingResponse:
    """Each inventoried or pushed patent with its funnel, in application number order, as
    CSV (UTF-8 with a byte order mark). At most `MATCHING_OUTCOMES_CSV_MAX_ROWS` rows;
    when the cap cut it short, `X-Export-Capped: <rows>/<all rows>`. An institution
    exports its own patents; regulators and the operator any institution's."""
    if institution is None:
        _check_reader(principal, (), "institution: every institution's export")
    else:
        _check_reader(principal, (institution,), f"institution: {institution}")
    cap = _cap(request)
    return await capped_csv(
        get_runtime(request),
        lambda session: queries.patent_table(session, institution, cap),
        schemas.PATENT_COLUMNS,
        schemas.patent_cells,
        filename=f"outcomes-patents-{institution or 'all'}.csv",
        cap=cap,
    )


@router.get(
    "/campaigns/{campaign_id}",
    response_model=schemas.CampaignOutcomesOut,
    summary="One campaign's outcomes",
)
async def campaign_outcomes(
    campaign_id: Annotated[str, Path(max_length=36, description="The campaign's id.")],
    uow: UnitOfWorkDep,
    _: Oversight,
) -> schemas.CampaignOutcomesOut:
    """The funnel of the pushes the campaign made; a deal counts from the day of the
    campaign's push to the enterprise. Regulators and the operator."""
    funnel = await queries.campaign_funnel(uow.session, campaign_id)
    if funnel is None:
        raise OutcomeCampaignUnknown(f"campaign_id: there is no campaign {campaign_id}")
    return schemas.CampaignOutcomesOut(campaign_id=campaign_id, funnel=schemas.FunnelOut.of(funnel))


def _cap(request: Request) -> int:
    settings: MatchingSettings = get_runtime(request).settings  # type: ignore[assignment]
    return settings.outcomes_csv_max_rows
