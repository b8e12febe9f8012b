"""Banks' lending policies and risk-compensation programmes: thin endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from pledge import banks
from pledge.api import schemas
from pledge.api.deps import BankOrOperator, BankOrOperatorReader, BankTopicsDep, Caller, Operator
from pledge.models import BankPolicyRecord, RiskProgrammeRecord
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
    bank_topics: BankTopicsDep,
) -> schemas.BankOnboarded:
    """Creates `ipmarket.pledge.bank.<bank_org_id>.v1` on the broker if it is missing, so
    that the bank's consumer can subscribe before any pledge names the bank (otherwise the
    topic comes with the bank's first pledge application or policy). Idempotent; no body.
    If the broker cannot be reached: `503 broker-unavailable`, retry. Another bank gets
    403 `not-the-bank`."""
    topic = await banks.onboard(uow, principal, bank_org_id, bank_topics)
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
    bank_topics: BankTopicsDep,
) -> schemas.BankPolicyPublic:
    """The minimum remaining patent term (applications for shorter-lived patents are
    refused as `pledge-remaining-term-too-short`) and the loan-to-value ratio (40-60 %)
    applied to valuations. Another bank gets 403 `not-the-bank`."""
    policy = await banks.put_policy(uow, principal, bank_org_id, body, bank_topics)
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
    return _policy(await banks.get_policy(uow, principal, bank_org_id))


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
    programme = await banks.create_programme(uow, body)
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
    return _programme(await banks.get_programme(uow, programme_id))


def _policy(policy: BankPolicyRecord) -> schemas.BankPolicyPublic:
    return schemas.BankPolicyPublic(
        bank_org_id=policy.bank_org_id,
        min_remaining_term_years=policy.min_remaining_term_years,
        loan_to_value_percent=policy.loan_to_value_percent,
        updated_at=policy.updated_at,
    )


def _programme(p: RiskProgrammeRecord) -> schemas.ProgrammePublic:
    return schemas.ProgrammePublic(
        id=p.id,
        name=p.name,
        region_code=p.region_code,
        budget=schemas.money(p.budget, "CNY"),
        remaining_budget=schemas.money(p.remaining_budget, "CNY"),
        shares=schemas.LossSharingIn(
            fund=p.fund_share,
            bank=p.bank_share,
            insurer=p.insurer_share,
            appraiser=p.appraiser_share,
        ),
        max_secured_amount=(
            schemas.money(p.max_secured_amount, "CNY") if p.max_secured_amount else None
        ),
        bank_org_ids=p.bank_org_ids,
    )
