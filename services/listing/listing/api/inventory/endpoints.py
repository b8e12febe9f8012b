"""A patent's inventory (存量专利盘点): its record, evaluations, tier and override."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from listing.api.deps import Caller, NumberPath, PatenteeOrOperator
from listing.api.export import FormatQuery, csv_response, wants_csv
from listing.api.inventory import schemas
from listing.api.schemas import NumberPosition
from listing.domain.errors import InventoryNotOwner
from listing.domain.inventory import Willingness
from listing.domain.tiers import Tier
from listing.inventory import queries, service
from listing.inventory.commands import ClearTierOverride
from listing.inventory.schemas import InventoryIn
from shared.auth import OrgType, Principal
from shared.http.dependencies import PageDep, ReadPoolDep, UnitOfWorkDep
from shared.http.pagination import Page
from shared.http.routes import StrictRoute
from shared.http.types import UsccStr

router = APIRouter(route_class=StrictRoute, tags=["inventory"])

OVERSEERS = frozenset({OrgType.REGULATOR, OrgType.OPERATOR})


@router.get(
    "/inventory/patents",
    response_model=Page[schemas.InventoriedPatentOut],
    summary="An institution's inventoried patents (盘点清单)",
)
async def inventoried_patents(
    request: Request,
    pool: ReadPoolDep,
    page: PageDep,
    principal: Caller,
    institution: Annotated[
        UsccStr | None,
        Query(
            description="The institution (USCC) whose records to list: any for regulators "
            "and the operator; an institution lists its own, the default for it."
        ),
    ] = None,
    tier: Annotated[Tier | None, Query(description="Only this tier in force.")] = None,
    willingness: Annotated[Willingness | None, Query()] = None,
    evaluated: Annotated[
        bool | None, Query(description="Only those with (`true`) or without any evaluation.")
    ] = None,
    format: FormatQuery = None,
) -> Response | Page[schemas.InventoriedPatentOut]:
    """The patents whose inventory record names the institution (the one that recorded
    them: a co-owned patent is listed for the institution whose record it is), in
    application-number order, one page at a time; the CSV export (`?format=csv`) holds
    them all. An institution lists its own (403 for another's); regulators and the
    operator list any institution's, or all."""
    where = queries.InventoriedPatentFilter(
        institution_uscc=_institution(principal, institution),
        tier=tier,
        willingness=willingness,
        evaluated=evaluated,
    )
    if wants_csv(request, format):
        rows = (schemas.inventoried_cells(p) async for p in queries.every_inventoried(pool, where))
        name = f"inventory-{where.institution_uscc or 'all'}.csv"
        return csv_response(schemas.INVENTORIED_HEADER, rows, name)
    after = page.after(NumberPosition)
    found = await queries.inventoried_page(pool, where, page.limit, after.n if after else None)
    last = found[-1] if len(found) == page.limit else None
    return Page(
        items=[schemas.InventoriedPatentOut.of(p) for p in found],
        next_cursor=NumberPosition(n=last.application_number).cursor() if last else None,
    )


def _institution(principal: Principal, institution: str | None) -> str | None:
    if principal.org_type in OVERSEERS:
        return institution
    if principal.uscc is None or institution not in (None, principal.uscc):
        raise InventoryNotOwner(
            f"institution: an institution lists its own inventoried patents "
            f"({principal.uscc or 'the calling organisation has no USCC'})"
        )
    return principal.uscc


@router.put(
    "/patents/{application_number}/inventory",
    response_model=schemas.InventoryOut,
    summary="Record or update a patent's inventory record (盘点登记)",
)
async def record_inventory(
    application_number: NumberPath,
    body: InventoryIn,
    principal: PatenteeOrOperator,
    uow: UnitOfWorkDep,
) -> schemas.InventoryOut:
    """The owning institution (a patentee) records its patent's inventors, willingness to
    transform, intended modes, portfolios and state funding; the operator does it for an
    institution it names by `institution_uscc`. Replaces the record whole; publishes
    `cn.ipmarket.listing.inventory.recorded.v1` (without inventors or notes). Willingness
    and intended modes become public facts of the patent (search filters on them)."""
    record = await service.record_inventory(uow, principal, body.to_command(application_number))
    await uow.commit()
    return schemas.InventoryOut.of(record)


@router.get(
    "/patents/{application_number}/inventory",
    response_model=schemas.InventoryOut,
    summary="A patent's inventory record (owner, operator, regulators)",
)
async def get_inventory(
    application_number: NumberPath, principal: Caller, uow: UnitOfWorkDep
) -> schemas.InventoryOut:
    """Inventors' names and contacts are personal data: the owning institution, the
    operator and regulators read the record; anyone else gets 403."""
    return schemas.InventoryOut.of(await service.readable(uow, principal, application_number))


@router.post(
    "/patents/{application_number}/evaluations",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.EvaluationOut,
    summary="Record an evaluation (发明人自评 or 单位集中评价)",
)
async def record_evaluation(
    application_number: NumberPath,
    body: schemas.EvaluationIn,
    principal: PatenteeOrOperator,
    uow: UnitOfWorkDep,
) -> schemas.EvaluationOut:
    """A new version of the evaluation of `kind`; the patent needs an inventory record
    first (409 `inventory-not-recorded`). The tier is computed again from the latest
    institution evaluation (else the latest self-assessment) and enterprises' feedback.
    Publishes `cn.ipmarket.listing.inventory.evaluation_recorded.v1` (who and when only)
    and, when the tier in force changes, `cn.ipmarket.listing.inventory.tier_changed.v1`."""
    evaluation = await service.record_evaluation(
        uow, principal, body.to_command(application_number)
    )
    await uow.commit()
    return schemas.EvaluationOut.of(evaluation)


@router.get(
    "/patents/{application_number}/evaluations",
    response_model=schemas.EvaluationList,
    summary="A patent's evaluations, every version (owner, operator, regulators)",
)
async def list_evaluations(
    application_number: NumberPath, principal: Caller, uow: UnitOfWorkDep
) -> schemas.EvaluationList:
    """Oldest first. Scores and market estimates are commercial data: 403 for anyone but
    the owning institution, the operator and regulators."""
    found = await service.list_evaluations(uow, principal, application_number)
    return schemas.EvaluationList(items=[schemas.EvaluationOut.of(e) for e in found])


@router.get(
    "/patents/{application_number}/tier",
    response_model=schemas.TierOut,
    response_model_exclude_none=False,
    summary="The tier in force (分层)",
)
async def get_tier(
    application_number: NumberPath, principal: Caller, uow: UnitOfWorkDep
) -> schemas.TierOut:
    """Anyone sees the tier in force and the rule version; the owning institution, the
    operator and regulators also see the computed tier, the rule and its reasons, and
    the override with its reason. The rule table is in docs/inventory.md."""
    record, private = await service.tier_of(uow, principal, application_number)
    return schemas.TierOut.of(record, private=private)


@router.get(
    "/patents/{application_number}/tier/history",
    response_model=schemas.TierHistory,
    summary="Every change of a patent's tier (owner, operator, regulators)",
)
async def tier_history(
    application_number: NumberPath, principal: Caller, uow: UnitOfWorkDep
) -> schemas.TierHistory:
    """Oldest first: each change of the computed tier (`rule`, with the rule version and
    reasons), each override and its clearing, who made it and when."""
    found = await service.tier_history(uow, principal, application_number)
    return schemas.TierHistory(items=[schemas.TierChangeOut.of(e) for e in found])


@router.put(
    "/patents/{application_number}/tier/override",
    response_model=schemas.TierOut,
    summary="Override the tier, with a written reason",
)
async def override_tier(
    application_number: NumberPath,
    body: schemas.TierOverrideIn,
    principal: PatenteeOrOperator,
    uow: UnitOfWorkDep,
) -> schemas.TierOut:
    """The owning institution or the operator sets the tier in force; the reason is kept
    and the computed tier goes on being computed underneath."""
    record = await service.override_tier(uow, principal, body.to_command(application_number))
    await uow.commit()
    return schemas.TierOut.of(record, private=True)


@router.delete(
    "/patents/{application_number}/tier/override",
    response_model=schemas.TierOut,
    summary="Clear the tier override: back to the computed tier",
)
async def clear_tier_override(
    application_number: NumberPath, principal: PatenteeOrOperator, uow: UnitOfWorkDep
) -> schemas.TierOut:
    """404 when no override is in force."""
    record = await service.clear_tier_override(
        uow, principal, ClearTierOverride(application_number)
    )
    await uow.commit()
    return schemas.TierOut.of(record, private=True)
