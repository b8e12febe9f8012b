"""Banks' own lending policies and the risk-compensation programmes they lend under."""

from __future__ import annotations

import uuid

from pledge.adapters.bank_topics import BankTopics
from pledge.banks.commands import CreateRiskProgramme, SetLendingPolicy
from pledge.banks.repository import BankRepository
from pledge.domain.bank_policy import BankPolicy
from pledge.domain.compensation import LossSharing, RiskProgramme
from pledge.domain.errors import NotTheBank
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
    uow: UnitOfWork, principal: Principal, command: SetLendingPolicy, bank_topics: BankTopics
) -> BankPolicy:
    _own_bank_or_operator(principal, command.bank_org_id)
    await bank_topics.ensure(uow, command.bank_org_id)
    return await BankRepository(uow.session).put_policy(
        BankPolicy(
            bank_org_id=command.bank_org_id,
            min_remaining_term_years=command.min_remaining_term_years,
            loan_to_value_percent=command.loan_to_value_percent,
            updated_at=uow.clock.now(),
        )
    )


async def get_policy(uow: UnitOfWork, principal: Principal, bank_org_id: str) -> BankPolicy:
    _own_bank_or_operator(principal, bank_org_id)
    policy = await BankRepository(uow.session).policy(bank_org_id)
    if policy is None:
        raise NotFound(f"bank {bank_org_id} has no policy")
    return policy


async def create_programme(uow: UnitOfWork, command: CreateRiskProgramme) -> RiskProgramme:
    programme = RiskProgramme(
        id=str(uuid.uuid4()),
        name=command.name,
        region_code=command.region_code,
        budget=command.budget,
        remaining_budget=command.budget,
        sharing=LossSharing(**command.shares),
        max_secured_amount=command.max_secured_amount,
        bank_org_ids=sorted(set(command.bank_org_ids)),
        created_at=uow.clock.now(),
    )
    await BankRepository(uow.session).add_programme(programme)
    return programme


async def get_programme(uow: UnitOfWork, programme_id: str) -> RiskProgramme:
    programme = await BankRepository(uow.session).programme(programme_id)
    if programme is None:
        raise NotFound(f"risk-compensation programme {programme_id} does not exist")
    return programme
