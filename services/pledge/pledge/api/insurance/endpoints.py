"""Insurance products, policies and claims: thin endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from pledge.api.deps import Caller, Insurer, InsurerOnly, Writer
from pledge.api.insurance import schemas
from pledge.api.schemas import RefusalIn, money, money_or_none
from pledge.domain.insurance import InsuranceClaim, InsurancePolicy, InsuranceProduct
from pledge.insurance import service
from pledge.insurance.commands import (
    ApproveClaim,
    CreateProduct,
    FileClaim,
    IssuePolicy,
    PayClaim,
    RejectClaim,
)
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute

router = APIRouter(tags=["insurance"], route_class=StrictRoute)
Id = Annotated[str, Path(max_length=36)]


@router.post(
    "/insurance-products",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.InsuranceProductPublic,
    summary="Offer an insurance product (insurer)",
)
async def create_product(
    body: schemas.InsuranceProductCreate, principal: InsurerOnly, uow: UnitOfWorkDep
) -> schemas.InsuranceProductPublic:
    """Pledge-financing guarantee insurance, open-licence transaction insurance or
    overseas-enforcement insurance, with its premium rate and maximum coverage."""
    command = CreateProduct(
        body.kind, body.name, body.premium_rate_percent, body.max_coverage.amount
    )
    product = await service.create_product(uow, principal, command)
    await uow.commit()
    return _product(product)


@router.get(
    "/insurance-products/{product_id}",
    response_model=schemas.InsuranceProductPublic,
    summary="An insurance product",
)
async def get_product(
    product_id: Id, _: Caller, uow: UnitOfWorkDep
) -> schemas.InsuranceProductPublic:
    """Products are public offers: any authenticated organisation may read them."""
    return _product(await service.get_product(uow, product_id))


@router.post(
    "/insurance-policies",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.InsurancePolicyPublic,
    summary="Issue a policy (the product's insurer)",
)
async def issue_policy(
    body: schemas.InsurancePolicyCreate, principal: Insurer, uow: UnitOfWorkDep
) -> schemas.InsurancePolicyPublic:
    """Premium = coverage x the product's rate, to the fen. A policy is bound to the one
    subject its product insures (`insurance-policy-subject-mismatch` otherwise); coverage
    above the product's maximum is `insurance-coverage-above-product-maximum`. Publishes
    `cn.ipmarket.pledge.insurance_policy.issued.v1` (also on the bank's topic when bound
    to a pledge)."""
    command = IssuePolicy(
        product_id=body.product_id,
        insured_org_id=body.insured.org_id,
        insured_name=body.insured.name,
        pledge_id=body.pledge_id,
        license_id=body.license_id,
        application_number=body.application_number,
        coverage=body.coverage.to_money(),
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    policy = await service.issue_policy(uow, principal, command)
    await uow.commit()
    return _policy(policy)


@router.get(
    "/insurance-policies/{policy_id}",
    response_model=schemas.InsurancePolicyPublic,
    summary="A policy",
)
async def get_policy(
    policy_id: Id, principal: Caller, uow: UnitOfWorkDep
) -> schemas.InsurancePolicyPublic:
    """Visible to the insured, the insurer and the operator; anyone else gets 404
    `not-found`, as for a policy that does not exist."""
    return _policy(await service.get_policy(uow, principal, policy_id))


@router.post(
    "/insurance-policies/{policy_id}/claims",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.InsuranceClaimPublic,
    summary="File a claim (the insured)",
)
async def file_claim(
    policy_id: Id, body: schemas.InsuranceClaimCreate, principal: Writer, uow: UnitOfWorkDep
) -> schemas.InsuranceClaimPublic:
    """A claim starts `filed`; publishes `cn.ipmarket.pledge.insurance_claim.filed.v1`."""
    command = FileClaim(policy_id, body.amount.amount, body.incurred_on, body.description)
    claim = await service.file_claim(uow, principal, command)
    await uow.commit()
    return _claim(claim)


@router.post(
    "/insurance-claims/{claim_id}/approval",
    response_model=schemas.InsuranceClaimPublic,
    summary="Approve a claim (insurer)",
)
async def approve_claim(
    claim_id: Id, body: schemas.ClaimApprovalIn, principal: Insurer, uow: UnitOfWorkDep
) -> schemas.InsuranceClaimPublic:
    """filed -> approved. The approved amount is at most the claimed amount and the
    policy's remaining coverage (`insurance-claim-exceeds-coverage`), and is committed
    against the coverage. Publishes `...insurance_claim.approved.v1`."""
    command = ApproveClaim(claim_id, body.approved_amount.to_money())
    claim = await service.decide_claim(uow, principal, command)
    await uow.commit()
    return _claim(claim)


@router.post(
    "/insurance-claims/{claim_id}/rejection",
    response_model=schemas.InsuranceClaimPublic,
    summary="Reject a claim, with the reason (insurer)",
)
async def reject_claim(
    claim_id: Id, body: RefusalIn, principal: Insurer, uow: UnitOfWorkDep
) -> schemas.InsuranceClaimPublic:
    """filed -> rejected (final); publishes `...insurance_claim.rejected.v1`."""
    claim = await service.decide_claim(uow, principal, RejectClaim(claim_id, body.reason))
    await uow.commit()
    return _claim(claim)


@router.post(
    "/insurance-claims/{claim_id}/payment",
    response_model=schemas.InsuranceClaimPublic,
    summary="Record the payment of an approved claim (insurer)",
)
async def pay_claim(
    claim_id: Id, body: schemas.ClaimPaymentIn, principal: Insurer, uow: UnitOfWorkDep
) -> schemas.InsuranceClaimPublic:
    """approved -> paid; publishes `...insurance_claim.paid.v1`."""
    claim = await service.decide_claim(uow, principal, PayClaim(claim_id, body.paid_on))
    await uow.commit()
    return _claim(claim)


@router.get(
    "/insurance-claims/{claim_id}",
    response_model=schemas.InsuranceClaimPublic,
    summary="A claim",
)
async def get_claim(
    claim_id: Id, principal: Caller, uow: UnitOfWorkDep
) -> schemas.InsuranceClaimPublic:
    """Visible to the insured, the insurer and the operator; anyone else gets 404
    `not-found`, as for a policy that does not exist."""
    return _claim(await service.get_claim(uow, principal, claim_id))


def _product(p: InsuranceProduct) -> schemas.InsuranceProductPublic:
    return schemas.InsuranceProductPublic(
        id=p.id,
        kind=p.kind,
        name=p.name,
        insurer_org_id=p.insurer_org_id,
        premium_rate_percent=p.premium_rate_percent,
        max_coverage=money(p.max_coverage, "CNY"),
    )


def _policy(p: InsurancePolicy) -> schemas.InsurancePolicyPublic:
    return schemas.InsurancePolicyPublic(
        id=p.id,
        product_id=p.product_id,
        kind=p.kind,
        insurer_org_id=p.insurer_org_id,
        insured_org_id=p.insured_org_id,
        pledge_id=p.pledge_id,
        license_id=p.license_id,
        application_numbers=p.application_numbers,
        coverage=money(p.coverage, "CNY"),
        premium=money(p.premium, "CNY"),
        committed=money(p.committed, "CNY"),
        starts_on=p.starts_on,
        ends_on=p.ends_on,
    )


def _claim(c: InsuranceClaim) -> schemas.InsuranceClaimPublic:
    return schemas.InsuranceClaimPublic(
        id=c.id,
        policy_id=c.policy_id,
        status=c.status,
        amount=money(c.amount, "CNY"),
        approved_amount=money_or_none(c.approved_amount, "CNY"),
        incurred_on=c.incurred_on,
        description=c.description,
        rejection_reason=c.rejection_reason,
        paid_on=c.paid_on,
    )
