"""Valuations: thin endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from pledge.api.deps import BankOrOperator, Caller, Writer
from pledge.api.schemas import money, money_or_none
from pledge.api.valuations import schemas
from pledge.domain.valuation import PatentValuation, Valuation
from pledge.valuations import service
from pledge.valuations.commands import ValuePatents, ValuePledge
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute

router = APIRouter(tags=["valuations"], route_class=StrictRoute)
Id = Annotated[str, Path(max_length=36)]


@router.post(
    "/valuations",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ValuationPublic,
    summary="Value a patent or a portfolio (explainable)",
)
async def value_patents(
    body: schemas.ValuationRequest, principal: Writer, uow: UnitOfWorkDep
) -> schemas.ValuationPublic:
    """A value range per patent and in total, each factor's contribution in CNY (remaining
    term, claims, IPC, licences taken, legal events, royalties paid) and the method's name
    and version (docs/pledge-valuation.md). With `bank_org_id`, that bank's loan-to-value
    applied to the low end gives `proposed_max_loan`. Unknown patents are
    `pledge-patent-unknown`."""
    command = ValuePatents(
        tuple(body.application_numbers), dict(body.claims_counts), body.bank_org_id
    )
    valuation = await service.value_patents(uow, principal, command)
    await uow.commit()
    return valuation_public(valuation)


@router.post(
    "/pledges/{pledge_id}/valuation",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ValuationPublic,
    summary="Value the pledged portfolio for its bank (pledgee bank)",
)
async def value_pledge(
    pledge_id: Id, body: schemas.PledgeValuationIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.ValuationPublic:
    """As `/valuations`, for the pledge's patents and its bank's loan-to-value; publishes
    `cn.ipmarket.pledge.valuation.ready.v1`."""
    command = ValuePledge(pledge_id, dict(body.claims_counts))
    valuation = await service.value_pledge(uow, principal, command)
    await uow.commit()
    return valuation_public(valuation)


@router.get(
    "/valuations/{valuation_id}", response_model=schemas.ValuationPublic, summary="A valuation"
)
async def get(valuation_id: Id, principal: Caller, uow: UnitOfWorkDep) -> schemas.ValuationPublic:
    """Visible to whoever asked for it, the pledge's parties and the operator; anyone else
    gets 404 `not-found`, as for a valuation that does not exist."""
    return valuation_public(await service.get(uow, principal, valuation_id))


def valuation_public(v: Valuation) -> schemas.ValuationPublic:
    def patent(p: PatentValuation) -> schemas.PatentValuationOut:
        return schemas.PatentValuationOut(
            application_number=p.application_number,
            base=p.base,
            low=p.low,
            point=p.point,
            high=p.high,
            factors=[
                schemas.FactorOut(
                    factor=f.factor,
                    multiplier=None if f.multiplier is None else str(f.multiplier),
                    contribution=f.contribution,
                    basis=f.basis,
                )
                for f in p.factors
            ],
        )

    result = v.result
    return schemas.ValuationPublic(
        id=v.id,
        pledge_id=v.pledge_id,
        method=result.method,
        method_version=result.method_version,
        application_numbers=v.application_numbers,
        low=money(result.low, "CNY"),
        point=money(result.point, "CNY"),
        high=money(result.high, "CNY"),
        patents=[patent(p) for p in result.patents],
        loan_to_value_percent=v.loan_to_value_percent,
        proposed_max_loan=money_or_none(v.proposed_max_loan, "CNY"),
        valued_on=v.valued_on,
    )
