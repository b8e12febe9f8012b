"""Valuations of patents and of a pledge's portfolio, from pledge's own views."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal

from pledge.banks.repository import BankRepository
from pledge.domain.errors import PatentUnknown
from pledge.domain.pledge import Pledge
from pledge.domain.valuation import Valuation, ValuationInput, proposed_max_loan, value_portfolio
from pledge.pledges.service import emit_pledge_event, pledge_for_bank_action
from pledge.repository import PledgeRepository, ViewRepository
from pledge.valuations.commands import ValuePatents, ValuePledge
from pledge.valuations.repository import ValuationRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.schemas import PledgeValuationReady


async def value_patents(uow: UnitOfWork, principal: Principal, command: ValuePatents) -> Valuation:
    """An ad hoc valuation; with ``bank_org_id``, that bank's loan-to-value applies."""
    numbers = sorted(set(command.application_numbers))
    return await _value(uow, principal, numbers, command.claims_counts, command.bank_org_id, None)


async def value_pledge(uow: UnitOfWork, principal: Principal, command: ValuePledge) -> Valuation:
    """The pledged portfolio valued for its bank; publishes ``valuation.ready``."""
    pledge = await pledge_for_bank_action(
        PledgeRepository(uow.session), principal, command.pledge_id
    )
    valuation = await _value(
        uow,
        principal,
        pledge.application_numbers,
        command.claims_counts,
        pledge.pledgee_org_id,
        pledge,
    )
    result = valuation.result
    emit_pledge_event(
        uow,
        pledge,
        PledgeValuationReady(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            valuation_id=valuation.id,
            method=result.method,
            method_version=result.method_version,
            low=result.low,
            point=result.point,
            high=result.high,
            loan_to_value_percent=valuation.loan_to_value_percent,
            proposed_max_loan=valuation.proposed_max_loan,
        ),
    )
    return valuation


async def get(uow: UnitOfWork, principal: Principal, valuation_id: str) -> Valuation:
    valuation = await ValuationRepository(uow.session).get(valuation_id)
    not_found = NotFound(f"valuation {valuation_id} does not exist")
    if valuation is None:
        raise not_found
    allowed = {valuation.requested_by}
    if valuation.pledge_id is not None:
        pledge = await PledgeRepository(uow.session).get(valuation.pledge_id)
        if pledge is not None:
            allowed |= {pledge.pledgor_org_id, pledge.pledgee_org_id}
    # Whoever asked for it and the pledge's parties; anyone else is not told it exists.
    if principal.org_type is not OrgType.OPERATOR and principal.org_id not in allowed:
        raise not_found
    return valuation


async def _value(
    uow: UnitOfWork,
    principal: Principal,
    numbers: list[str],
    claims_counts: Mapping[str, int],
    bank_org_id: str | None,
    pledge: Pledge | None,
) -> Valuation:
    views_repo = ViewRepository(uow.session)
    views = await views_repo.patents(numbers)
    unknown = sorted(set(numbers) - set(views))
    if unknown:
        raise PatentUnknown(f"patents {', '.join(unknown)} are unknown to the pledge service")
    stray = sorted(set(claims_counts) - set(numbers))
    if stray:
        raise PatentUnknown(f"claims counts given for patents not valued: {', '.join(stray)}")
    history = await views_repo.licensing_history(numbers)
    inputs = [
        ValuationInput(
            application_number=n,
            patent_type=views[n].patent_type,
            expiry_date=views[n].expiry_date,
            ipc_codes=views[n].ipc_codes,
            claims_count=claims_counts.get(n),
            licenses_taken=history.get(n, (0, Decimal(0)))[0],
            royalties_paid=history.get(n, (0, Decimal(0)))[1],
            legal_events=views[n].status_change_count,
            encumbered=views[n].encumbered(),
        )
        for n in numbers
    ]
    today = uow.clock.today()
    result = value_portfolio(inputs, today)
    ltv = None
    if bank_org_id is not None:
        policy = await BankRepository(uow.session).policy(bank_org_id)
        ltv = policy.loan_to_value_percent if policy else None
    valuation = Valuation(
        id=str(uuid.uuid4()),
        pledge_id=pledge.id if pledge else None,
        requested_by=principal.org_id,
        application_numbers=numbers,
        result=result,
        loan_to_value_percent=ltv,
        proposed_max_loan=proposed_max_loan(result, ltv) if ltv is not None else None,
        valued_on=today,
        created_at=uow.clock.now(),
    )
    await ValuationRepository(uow.session).add(valuation)
    return valuation
