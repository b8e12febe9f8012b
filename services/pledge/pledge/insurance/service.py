"""Insurance use cases: products, policies bound to a pledge, licence or patent, claims."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pledge.domain.errors import NotTheInsurer, PatentUnknown, PolicySubjectInactive
from pledge.domain.insurance import (
    ClaimStatus,
    InsuranceClaim,
    InsurancePolicy,
    InsuranceProduct,
    check_claim_period,
    check_subject,
    premium,
)
from pledge.domain.pledge import Pledge, PledgeStatus
from pledge.insurance.commands import (
    ApproveClaim,
    ClaimDecision,
    CreateProduct,
    FileClaim,
    IssuePolicy,
    RejectClaim,
)
from pledge.insurance.repository import InsuranceRepository
from pledge.pledges.service import emit_pledge_event
from pledge.repository import PledgeRepository, ViewRepository
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
    uow: UnitOfWork, principal: Principal, command: CreateProduct
) -> InsuranceProduct:
    product = InsuranceProduct(
        id=str(uuid.uuid4()),
        kind=command.kind,
        name=command.name,
        insurer_org_id=principal.org_id,
        insurer_name=principal.org_name,
        premium_rate_percent=command.premium_rate_percent,
        max_coverage=command.max_coverage,
        created_at=uow.clock.now(),
    )
    await InsuranceRepository(uow.session).add_product(product)
    return product


async def get_product(uow: UnitOfWork, product_id: str) -> InsuranceProduct:
    product = await InsuranceRepository(uow.session).product(product_id)
    if product is None:
        raise NotFound(f"insurance product {product_id} does not exist")
    return product


async def issue_policy(
    uow: UnitOfWork, principal: Principal, command: IssuePolicy
) -> InsurancePolicy:
    """The product's insurer issues a policy on the subject its product insures."""
    product = await get_product(uow, command.product_id)
    _insurer(principal, product.insurer_org_id)
    check_subject(
        product.kind,
        {
            "pledge_id": command.pledge_id,
            "license_id": command.license_id,
            "application_number": command.application_number,
        },
    )
    pledge = None
    views = ViewRepository(uow.session)
    if command.pledge_id is not None:
        pledge = await PledgeRepository(uow.session).get(command.pledge_id)
        if pledge is None:
            raise NotFound(f"pledge {command.pledge_id} does not exist")
        if pledge.status in (PledgeStatus.REFUSED, PledgeStatus.CANCELLED):
            raise PolicySubjectInactive(f"pledge {pledge.id} is {pledge.status}")
        numbers = pledge.application_numbers
    elif command.license_id is not None:
        number = await views.licensed_patent(command.license_id)
        if number is None:
            raise NotFound(f"licence {command.license_id} is unknown to the pledge service")
        numbers = [number]
    else:
        number = str(command.application_number)
        if not await views.patents([number]):
            raise PatentUnknown(f"patent {number} is unknown to the pledge service")
        numbers = [number]
    coverage = command.coverage
    policy = InsurancePolicy(
        id=str(uuid.uuid4()),
        product_id=product.id,
        kind=product.kind,
        insurer_org_id=product.insurer_org_id,
        insured_org_id=command.insured_org_id,
        insured_name=command.insured_name,
        pledge_id=command.pledge_id,
        license_id=command.license_id,
        application_numbers=numbers,
        coverage=coverage.amount,
        premium=premium(coverage, product.premium_rate_percent, Money(product.max_coverage)).amount,
        committed=Decimal(0),
        starts_on=command.starts_on,
        ends_on=command.ends_on,
        created_at=uow.clock.now(),
    )
    await InsuranceRepository(uow.session).add_policy(policy)
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


async def get_policy(uow: UnitOfWork, principal: Principal, policy_id: str) -> InsurancePolicy:
    policy = await InsuranceRepository(uow.session).policy(policy_id)
    if policy is None or not _may_see(principal, policy):
        raise _policy_not_found(policy_id)
    return policy


async def file_claim(uow: UnitOfWork, principal: Principal, command: FileClaim) -> InsuranceClaim:
    insurance = InsuranceRepository(uow.session)
    policy = await insurance.policy(command.policy_id, for_update=True)
    if policy is None or not _may_see(principal, policy):
        raise _policy_not_found(command.policy_id)
    check_claim_period(command.incurred_on, policy.starts_on, policy.ends_on)
    claim = InsuranceClaim(
        id=str(uuid.uuid4()),
        policy_id=policy.id,
        status=ClaimStatus.FILED,
        amount=command.amount,
        incurred_on=command.incurred_on,
        description=command.description,
        created_at=uow.clock.now(),
    )
    await insurance.add_claim(claim)
    _emit(
        uow,
        policy,
        InsuranceClaimFiled(
            **_about(policy),
            claim_id=claim.id,
            amount=claim.amount,
            incurred_on=claim.incurred_on,
        ),
        await _pledge(uow, policy),
    )
    return claim


async def decide_claim(
    uow: UnitOfWork, principal: Principal, command: ClaimDecision
) -> InsuranceClaim:
    """Approve (committing coverage), reject, or pay an approved claim: the insurer's call."""
    insurance = InsuranceRepository(uow.session)
    claim = await insurance.claim(command.claim_id, for_update=True)
    if claim is None:
        raise _claim_not_found(command.claim_id)
    policy = await insurance.policy(claim.policy_id, for_update=True)
    assert policy is not None
    if not _may_see(principal, policy):
        raise _claim_not_found(command.claim_id)
    _insurer(principal, policy.insurer_org_id)
    event: EventData
    if isinstance(command, ApproveClaim):
        claim.approve(command.approved_amount, policy)
        await insurance.save_policy(policy)
        event = InsuranceClaimApproved(
            **_about(policy), claim_id=claim.id, approved_amount=claim.approved_amount
        )
    elif isinstance(command, RejectClaim):
        claim.reject(command.reason)
        event = InsuranceClaimRejected(**_about(policy), claim_id=claim.id, reason=command.reason)
    else:
        paid = claim.pay(command.paid_on)
        event = InsuranceClaimPaid(
            **_about(policy), claim_id=claim.id, amount=paid, paid_on=command.paid_on
        )
    await insurance.save_claim(claim)
    _emit(uow, policy, event, await _pledge(uow, policy))
    return claim


async def get_claim(uow: UnitOfWork, principal: Principal, claim_id: str) -> InsuranceClaim:
    insurance = InsuranceRepository(uow.session)
    claim = await insurance.claim(claim_id)
    if claim is None:
        raise _claim_not_found(claim_id)
    policy = await insurance.policy(claim.policy_id)
    assert policy is not None
    if not _may_see(principal, policy):
        raise _claim_not_found(claim_id)
    return claim


# -- helpers ---------------------------------------------------------------------------------


def _insurer(principal: Principal, insurer_org_id: str) -> None:
    if principal.org_type is not OrgType.OPERATOR and principal.org_id != insurer_org_id:
        raise NotTheInsurer(f"only the insurer {insurer_org_id} or the operator may do this")


def _may_see(principal: Principal, policy: InsurancePolicy) -> bool:
    """A policy and its claims are for its insured, its insurer and the operator; anyone
    else gets the 404 of an id that does not exist (not told the policy exists)."""
    return principal.org_type is OrgType.OPERATOR or policy.visible_to(principal.org_id)


def _policy_not_found(policy_id: str) -> NotFound:
    return NotFound(f"insurance policy {policy_id} does not exist")


def _claim_not_found(claim_id: str) -> NotFound:
    return NotFound(f"insurance claim {claim_id} does not exist")


def _about(policy: InsurancePolicy) -> dict[str, object]:
    return {
        "policy_id": policy.id,
        "kind": policy.kind.value,
        "pledge_id": policy.pledge_id,
        "license_id": policy.license_id,
        "application_numbers": policy.application_numbers,
    }


async def _pledge(uow: UnitOfWork, policy: InsurancePolicy) -> Pledge | None:
    return await PledgeRepository(uow.session).get(policy.pledge_id) if policy.pledge_id else None


def _emit(
    uow: UnitOfWork, policy: InsurancePolicy, event: EventData, pledge: Pledge | None
) -> None:
    """A pledge-bound policy's events also reach the pledgee bank's topic."""
    if pledge is not None:
        emit_pledge_event(uow, pledge, event)
    else:
        uow.emit(event)
