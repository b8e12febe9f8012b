"""Valuations: thin endpoints."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, status

from pledge import valuations
from pledge.api import schemas
from pledge.api.deps import BankOrOperator, Caller, Writer
from pledge.models import ValuationRecord
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
    valuation = await valuations.value_patents(uow, principal, body)
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
    valuation = await valuations.value_pledge(uow, principal, pledge_id, body)
    await uow.commit()
    return valuation_public(valuation)


@router.get(
    "/valuations/{valuation_id}", response_model=schemas.ValuationPublic, summary="A valuation"
)
async def get(valuation_id: Id, principal: Caller, uow: UnitOfWorkDep) -> schemas.ValuationPublic:
    """Visible to whoever asked for it, the pledge's parties and the operator; anyone else
    gets 404 `not-found`, as for a valuation that does not exist."""
    return valuation_public(await valuations.get(uow, principal, valuation_id))


def valuation_public(v: ValuationRecord) -> schemas.ValuationPublic:
    def patent(p: dict[str, Any]) -> schemas.PatentValuationOut:
        return schemas.PatentValuationOut(
            application_number=p["application_number"],
            base=Decimal(p["base"]),
            low=Decimal(p["low"]),
            point=Decimal(p["point"]),
            high=Decimal(p["high"]),
            factors=[
                schemas.FactorOut(
                    factor=f["factor"],
                    multiplier=f["multiplier"],
                    contribution=Decimal(f["contribution"]),
                    basis=f["basis"],
                )
                for f in p["factors"]
            ],
        )

    return schemas.ValuationPublic(
        id=v.id,
        pledge_id=v.pledge_id,
        method=v.method,
        method_version=v.method_version,
        application_numbers=v.application_numbers,
        low=schemas.money(v.low, "CNY"),
        point=schemas.money(v.point, "CNY"),
        high=schemas.money(v.high, "CNY"),
        patents=[patent(p) for p in v.patents],
        loan_to_value_percent=v.loan_to_value_percent,
        proposed_max_loan=schemas.money_or_none(v.proposed_max_loan, "CNY"),
        valued_on=v.valued_on,
    )
