"""Banks' lending policies and risk-compensation programmes: thin endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from pledge.api.banks import schemas
from pledge.api.deps import AdaptersDep, BankOrOperator, BankOrOperatorReader, Caller, Operator
from pledge.api.schemas import money
from pledge.banks import service
from pledge.banks.commands import CreateRiskProgramme, SetLendingPolicy
from pledge.domain.bank_policy import BankPolicy
from pledge.domain.compensation import RiskProgramme
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)
BankOrgId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
ProgrammeId = Annotated[str, Path(max_length=36)]


@router.put(
    "/banks/{bank_org_id}",
    response_model=schemas.BankOnboarded,
    tags=["banks"],
    summary="Onboard a bank: create its pledge topic (the operator or the bank itself)",
)
async def onboard_bank(
    bank_org_id: BankOrgId,
    principal: BankOrOperator,
    uow: UnitOfWorkDep,
    adapters: AdaptersDep,
) -> schemas.BankOnboarded:
    """Creates `ipmarket.pledge.bank.<bank_org_id>.v1` on the broker if it is missing, so
    that the bank's consumer can subscribe before any pledge names the bank (otherwise the
    topic comes with the bank's first pledge application or policy). Idempotent; no body.
    If the broker cannot be reached: `503 broker-unavailable`, retry. Another bank gets
    403 `not-the-bank`."""
    topic = await service.onboard(uow, principal, bank_org_id, adapters.bank_topics)
    await uow.commit()
    return schemas.BankOnboarded(bank_org_id=bank_org_id, topic=topic)


@router.put(
    "/bank-policies/{bank_org_id}",
    response_model=schemas.BankPolicyPublic,
    tags=["banks"],
    summary="Set a bank's lending policy (the bank itself or the operator)",
)
async def put_policy(
    bank_org_id: BankOrgId,
    body: schemas.BankPolicyIn,
    principal: BankOrOperator,
    uow: UnitOfWorkDep,
    adapters: AdaptersDep,
) -> schemas.BankPolicyPublic:
    """The minimum remaining patent term (applications for shorter-lived patents are
    refused as `pledge-remaining-term-too-short`) and the loan-to-value ratio (40-60 %)
    applied to valuations. Another bank gets 403 `not-the-bank`."""
    command = SetLendingPolicy(
        bank_org_id, body.min_remaining_term_years, body.loan_to_value_percent
    )
    policy = await service.put_policy(uow, principal, command, adapters.bank_topics)
    await uow.commit()
    return _policy(policy)


@router.get(
    "/bank-policies/{bank_org_id}",
    response_model=schemas.BankPolicyPublic,
    tags=["banks"],
    summary="A bank's lending policy",
)
async def get_policy(
    bank_org_id: BankOrgId, principal: BankOrOperatorReader, uow: UnitOfWorkDep
) -> schemas.BankPolicyPublic:
    """Visible to the bank itself and the operator."""
    return _policy(await service.get_policy(uow, principal, bank_org_id))


@router.post(
    "/risk-programmes",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ProgrammePublic,
    tags=["risk programmes"],
    summary="Create a risk-compensation programme (operator)",
)
async def create_programme(
    body: schemas.ProgrammeCreate, _: Operator, uow: UnitOfWorkDep
) -> schemas.ProgrammePublic:
    """A fund with its budget, region and loss-sharing split between fund, bank, insurer
    and appraiser (e.g. 54:26:16:4, or fund 40 / bank 60). Shares not adding up to exactly
    100 are refused as `risk-programme-shares-invalid`. Eligibility: the participating
    banks (empty: every bank) and an optional maximum secured amount."""
    command = CreateRiskProgramme(
        name=body.name,
        region_code=body.region_code,
        budget=body.budget.amount,
        shares=body.shares.model_dump(),
        max_secured_amount=body.max_secured_amount.amount if body.max_secured_amount else None,
        bank_org_ids=tuple(body.bank_org_ids),
    )
    programme = await service.create_programme(uow, command)
    await uow.commit()
    return _programme(programme)


@router.get(
    "/risk-programmes/{programme_id}",
    response_model=schemas.ProgrammePublic,
    tags=["risk programmes"],
    summary="A risk-compensation programme and its remaining budget",
)
async def get_programme(
    programme_id: ProgrammeId, _: Caller, uow: UnitOfWorkDep
) -> schemas.ProgrammePublic:
    """Programmes are public terms; any authenticated organisation may read them."""
    return _programme(await service.get_programme(uow, programme_id))


def _policy(policy: BankPolicy) -> schemas.BankPolicyPublic:
    return schemas.BankPolicyPublic(
        bank_org_id=policy.bank_org_id,
        min_remaining_term_years=policy.min_remaining_term_years,
        loan_to_value_percent=policy.loan_to_value_percent,
        updated_at=policy.updated_at,
    )


def _programme(p: RiskProgramme) -> schemas.ProgrammePublic:
    return schemas.ProgrammePublic(
        id=p.id,
        name=p.name,
        region_code=p.region_code,
        budget=money(p.budget, "CNY"),
        remaining_budget=money(p.remaining_budget, "CNY"),
        shares=schemas.LossSharingIn(
            fund=p.sharing.fund,
            bank=p.sharing.bank,
            insurer=p.sharing.insurer,
            appraiser=p.sharing.appraiser,
        ),
        max_secured_amount=(money(p.max_secured_amount, "CNY") if p.max_secured_amount else None),
        bank_org_ids=p.bank_org_ids,
    )
