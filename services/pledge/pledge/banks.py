"""Banks' own lending policies and the risk-compensation programmes they lend under."""

from __future__ import annotations

import uuid

from pledge.api import schemas
from pledge.domain.compensation import LossSharing
from pledge.domain.errors import NotTheBank
from pledge.models import BankPolicyRecord, RiskProgrammeRecord
from pledge.publishing import BankTopics
from pledge.repository import PledgeRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound


def _own_bank_or_operator(principal: Principal, bank_org_id: str) -> None:
    if principal.org_type is not OrgType.OPERATOR and principal.org_id != bank_org_id:
        raise NotTheBank(f"only bank {bank_org_id} itself or the operator may do this")


async def onboard(
    uow: UnitOfWork, principal: Principal, bank_org_id: str, bank_topics: BankTopics
) -> str:
    """The bank's own pledge topic exists on the broker from now on, before any pledge
    names the bank, so that its consumer can subscribe at once. Returns the topic."""
    _own_bank_or_operator(principal, bank_org_id)
    return await bank_topics.create(uow, bank_org_id)


async def put_policy(
    uow: UnitOfWork,
    principal: Principal,
    bank_org_id: str,
    body: schemas.BankPolicyIn,
    bank_topics: BankTopics,
) -> BankPolicyRecord:
    _own_bank_or_operator(principal, bank_org_id)
    await bank_topics.ensure(uow, bank_org_id)
    return await PledgeRepository(uow.session).put_bank_policy(
        {
            "bank_org_id": bank_org_id,
            "min_remaining_term_years": body.min_remaining_term_years,
            "loan_to_value_percent": body.loan_to_value_percent,
        }
    )


async def get_policy(uow: UnitOfWork, principal: Principal, bank_org_id: str) -> BankPolicyRecord:
    _own_bank_or_operator(principal, bank_org_id)
    policy = await PledgeRepository(uow.session).bank_policy(bank_org_id)
    if policy is None:
        raise NotFound(f"bank {bank_org_id} has no policy")
    return policy


async def create_programme(uow: UnitOfWork, body: schemas.ProgrammeCreate) -> RiskProgrammeRecord:
    sharing = LossSharing(
        fund=body.shares.fund,
        bank=body.shares.bank,
        insurer=body.shares.insurer,
        appraiser=body.shares.appraiser,
    )
    programme = RiskProgrammeRecord(
        id=str(uuid.uuid4()),
        name=body.name,
        region_code=body.region_code,
        budget=body.budget.amount,
        remaining_budget=body.budget.amount,
        fund_share=sharing.fund,
        bank_share=sharing.bank,
        insurer_share=sharing.insurer,
        appraiser_share=sharing.appraiser,
        max_secured_amount=body.max_secured_amount.amount if body.max_secured_amount else None,
        bank_org_ids=sorted(set(body.bank_org_ids)),
    )
    await PledgeRepository(uow.session).add_programme(programme)
    return programme


async def get_programme(uow: UnitOfWork, programme_id: str) -> RiskProgrammeRecord:
    programme = await PledgeRepository(uow.session).get_programme(programme_id)
    if programme is None:
        raise NotFound(f"risk-compensation programme {programme_id} does not exist")
    return programme
