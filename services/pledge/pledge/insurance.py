"""Insurance use cases: products, policies bound to a pledge, licence or patent, claims."""

from __future__ import annotations

import uuid

from pledge.api import schemas
from pledge.domain.errors import (
    NotTheInsurer,
    PatentUnknown,
    PolicySubjectInactive,
)
from pledge.domain.insurance import (
    ClaimStatus,
    ProductKind,
    check_approval,
    check_claim_period,
    check_subject,
    claim_transition,
    premium,
)
from pledge.domain.pledge import PledgeStatus
from pledge.models import (
    InsuranceClaimRecord,
    InsurancePolicyRecord,
    InsuranceProductRecord,
    PledgeRecord,
)
from pledge.publishing import emit_pledge_event
from pledge.repository import PledgeRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import Money
from shared.errors import NotFound
from shared.events.schemas import (
    EventData,
    InsuranceClaimApproved,
    InsuranceClaimFiled,
    InsuranceClaimPaid,
    InsuranceClaimRejected,
    InsurancePolicyIssued,
    OrgRef,
)


async def create_product(
    uow: UnitOfWork, principal: Principal, body: schemas.InsuranceProductCreate
) -> InsuranceProductRecord:
    product = InsuranceProductRecord(
        id=str(uuid.uuid4()),
        kind=body.kind.value,
        name=body.name,
        insurer_org_id=principal.org_id,
        insurer_name=principal.org_name,
        premium_rate_percent=body.premium_rate_percent,
        max_coverage=body.max_coverage.amount,
    )
    await PledgeRepository(uow.session).add(product)
    return product


async def get_product(uow: UnitOfWork, product_id: str) -> InsuranceProductRecord:
    product = await PledgeRepository(uow.session).product(product_id)
    if product is None:
        raise NotFound(f"insurance product {product_id} does not exist")
    return product


async def issue_policy(
    uow: UnitOfWork, principal: Principal, body: schemas.InsurancePolicyCreate
) -> InsurancePolicyRecord:
    """The product's insurer issues a policy on the subject its product insures."""
    repo = PledgeRepository(uow.session)
    product = await get_product(uow, body.product_id)
    _insurer(principal, product.insurer_org_id)
    kind = ProductKind(product.kind)
    check_subject(
        kind,
        {
            "pledge_id": body.pledge_id,
            "license_id": body.license_id,
            "application_number": body.application_number,
        },
    )
    pledge = None
    if body.pledge_id is not None:
        pledge = await repo.get_pledge(body.pledge_id)
        if pledge is None:
            raise NotFound(f"pledge {body.pledge_id} does not exist")
        if pledge.status in (PledgeStatus.REFUSED, PledgeStatus.CANCELLED):
            raise PolicySubjectInactive(f"pledge {pledge.id} is {pledge.status}")
        numbers = pledge.application_numbers
    elif body.license_id is not None:
        licence = await repo.license_view(body.license_id)
        if licence is None:
            raise NotFound(f"licence {body.license_id} is unknown to the pledge service")
        numbers = [licence.application_number]
    else:
        number = str(body.application_number)
        if not await repo.patent_views([number]):
            raise PatentUnknown(f"patent {number} is unknown to the pledge service")
        numbers = [number]
    coverage = body.coverage.to_money()
    policy = InsurancePolicyRecord(
        id=str(uuid.uuid4()),
        product_id=product.id,
        kind=kind.value,
        insurer_org_id=product.insurer_org_id,
        insured_org_id=body.insured.org_id,
        insured_name=body.insured.name,
        pledge_id=body.pledge_id,
        license_id=body.license_id,
        application_numbers=numbers,
        coverage=coverage.amount,
        premium=premium(coverage, product.premium_rate_percent, Money(product.max_coverage)).amount,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    await repo.add(policy)
    _emit(
        uow,
        policy,
        InsurancePolicyIssued(
            **_about(policy),
            insurer=OrgRef(org_id=product.insurer_org_id, name=product.insurer_name),
            insured=OrgRef(org_id=policy.insured_org_id, name=policy.insured_name),
            coverage=policy.coverage,
            premium=policy.premium,
            starts_on=policy.starts_on,
            ends_on=policy.ends_on,
        ),
        pledge,
    )
    return policy


async def get_policy(
    uow: UnitOfWork, principal: Principal, policy_id: str
) -> InsurancePolicyRecord:
    policy = await PledgeRepository(uow.session).policy(policy_id)
    if policy is None or not _may_see(principal, policy):
        raise _policy_not_found(policy_id)
    return policy


async def file_claim(
    uow: UnitOfWork, principal: Principal, policy_id: str, body: schemas.InsuranceClaimCreate
) -> InsuranceClaimRecord:
    repo = PledgeRepository(uow.session)
    policy = await repo.policy(policy_id, for_update=True)
    if policy is None or not _may_see(principal, policy):
        raise _policy_not_found(policy_id)
    check_claim_period(body.incurred_on, policy.starts_on, policy.ends_on)
    claim = InsuranceClaimRecord(
        id=str(uuid.uuid4()),
        policy_id=policy.id,
        status=ClaimStatus.FILED.value,
        amount=body.amount.amount,
        incurred_on=body.incurred_on,
        description=body.description,
    )
    await repo.add(claim)
    _emit(
        uow,
        policy,
        InsuranceClaimFiled(
            **_about(policy),
            claim_id=claim.id,
            amount=claim.amount,
            incurred_on=claim.incurred_on,
        ),
        await _pledge(repo, policy),
    )
    return claim


async def decide_claim(
    uow: UnitOfWork,
    principal: Principal,
    claim_id: str,
    target: ClaimStatus,
    body: schemas.ClaimApprovalIn | schemas.RefusalIn | schemas.ClaimPaymentIn,
) -> InsuranceClaimRecord:
    """Approve (committing coverage), reject, or pay an approved claim: the insurer's call."""
    repo = PledgeRepository(uow.session)
    claim = await repo.insurance_claim(claim_id, for_update=True)
    if claim is None:
        raise _claim_not_found(claim_id)
    policy = await repo.policy(claim.policy_id, for_update=True)
    assert policy is not None
    if not _may_see(principal, policy):
        raise _claim_not_found(claim_id)
    _insurer(principal, policy.insurer_org_id)
    claim.status = claim_transition(ClaimStatus(claim.status), target).value
    event: EventData
    if isinstance(body, schemas.ClaimApprovalIn):
        amount = body.approved_amount.to_money()
        check_approval(amount, Money(claim.amount), Money(policy.coverage - policy.committed))
        claim.approved_amount = amount.amount
        policy.committed += amount.amount
        uow.session.add(policy)
        event = InsuranceClaimApproved(
            **_about(policy), claim_id=claim.id, approved_amount=amount.amount
        )
    elif isinstance(body, schemas.RefusalIn):
        claim.rejection_reason = body.reason
        event = InsuranceClaimRejected(**_about(policy), claim_id=claim.id, reason=body.reason)
    else:
        claim.paid_on = body.paid_on
        event = InsuranceClaimPaid(
            **_about(policy),
            claim_id=claim.id,
            amount=claim.approved_amount or claim.amount,
            paid_on=body.paid_on,
        )
    uow.session.add(claim)
    _emit(uow, policy, event, await _pledge(repo, policy))
    return claim


async def get_claim(uow: UnitOfWork, principal: Principal, claim_id: str) -> InsuranceClaimRecord:
    repo = PledgeRepository(uow.session)
    claim = await repo.insurance_claim(claim_id)
    if claim is None:
        raise _claim_not_found(claim_id)
    policy = await repo.policy(claim.policy_id)
    assert policy is not None
    if not _may_see(principal, policy):
        raise _claim_not_found(claim_id)
    return claim


# -- helpers ---------------------------------------------------------------------------------


def _insurer(principal: Principal, insurer_org_id: str) -> None:
    if principal.org_type is not OrgType.OPERATOR and principal.org_id != insurer_org_id:
        raise NotTheInsurer(f"only the insurer {insurer_org_id} or the operator may do this")


def _may_see(principal: Principal, policy: InsurancePolicyRecord) -> bool:
    """A policy and its claims are for its insured, its insurer and the operator; anyone
    else gets the 404 of an id that does not exist (not told the policy exists)."""
    return principal.org_type is OrgType.OPERATOR or principal.org_id in (
        policy.insured_org_id,
        policy.insurer_org_id,
    )


def _policy_not_found(policy_id: str) -> NotFound:
    return NotFound(f"insurance policy {policy_id} does not exist")


def _claim_not_found(claim_id: str) -> NotFound:
    return NotFound(f"insurance claim {claim_id} does not exist")


def _about(policy: InsurancePolicyRecord) -> dict[str, object]:
    return {
        "policy_id": policy.id,
        "kind": policy.kind,
        "pledge_id": policy.pledge_id,
        "license_id": policy.license_id,
        "application_numbers": policy.application_numbers,
    }


async def _pledge(repo: PledgeRepository, policy: InsurancePolicyRecord) -> PledgeRecord | None:
    return await repo.get_pledge(policy.pledge_id) if policy.pledge_id else None


def _emit(
    uow: UnitOfWork, policy: InsurancePolicyRecord, event: EventData, pledge: PledgeRecord | None
) -> None:
    """A pledge-bound policy's events also reach the pledgee bank's topic."""
    if pledge is not None:
        emit_pledge_event(uow, pledge, event)
    else:
        uow.emit(event)
