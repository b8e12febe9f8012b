"""Valuations of patents and of a pledge's portfolio, from pledge's own views."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from decimal import Decimal

from pledge.api import schemas
from pledge.domain.errors import PatentUnknown
from pledge.domain.valuation import (
    PortfolioValuation,
    ValuationInput,
    proposed_max_loan,
    value_portfolio,
)
from pledge.models import PledgeRecord, ValuationRecord
from pledge.publishing import emit_pledge_event
from pledge.repository import PledgeRepository
from pledge.service import pledge_for_bank_action
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import today_in_shanghai
from shared.errors import NotFound
from shared.events.schemas import PledgeValuationReady


async def value_patents(
    uow: UnitOfWork, principal: Principal, body: schemas.ValuationRequest
) -> ValuationRecord:
    """An ad hoc valuation; with ``bank_org_id``, that bank's loan-to-value applies."""
    numbers = sorted(set(body.application_numbers))
    return await _value(uow, principal, numbers, body.claims_counts, body.bank_org_id, None)


async def value_pledge(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.PledgeValuationIn
) -> ValuationRecord:
    """The pledged portfolio valued for its bank; publishes ``valuation.ready``."""
    repo = PledgeRepository(uow.session)
    pledge = await pledge_for_bank_action(repo, principal, pledge_id)
    valuation = await _value(
        uow,
        principal,
        pledge.application_numbers,
        body.claims_counts,
        pledge.pledgee_org_id,
        pledge,
    )
    emit_pledge_event(
        uow,
        pledge,
        PledgeValuationReady(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            valuation_id=valuation.id,
            method=valuation.method,
            method_version=valuation.method_version,
            low=valuation.low,
            point=valuation.point,
            high=valuation.high,
            loan_to_value_percent=valuation.loan_to_value_percent,
            proposed_max_loan=valuation.proposed_max_loan,
        ),
    )
    return valuation


async def get(uow: UnitOfWork, principal: Principal, valuation_id: str) -> ValuationRecord:
    repo = PledgeRepository(uow.session)
    valuation = await repo.get_valuation(valuation_id)
    not_found = NotFound(f"valuation {valuation_id} does not exist")
    if valuation is None:
        raise not_found
    allowed = {valuation.requested_by}
    if valuation.pledge_id is not None:
        pledge = await repo.get_pledge(valuation.pledge_id)
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
    claims_counts: dict[str, int],
    bank_org_id: str | None,
    pledge: PledgeRecord | None,
) -> ValuationRecord:
    repo = PledgeRepository(uow.session)
    views = await repo.patent_views(numbers)
    unknown = sorted(set(numbers) - set(views))
    if unknown:
        raise PatentUnknown(f"patents {', '.join(unknown)} are unknown to the pledge service")
    stray = sorted(set(claims_counts) - set(numbers))
    if stray:
        raise PatentUnknown(f"claims counts given for patents not valued: {', '.join(stray)}")
    history = await repo.licensing_history(numbers)
    inputs = [
        ValuationInput(
            application_number=n,
            patent_type=views[n].patent_type,
            expiry_date=views[n].expiry_date,
            ipc_codes=tuple(views[n].ipc_codes),
            claims_count=claims_counts.get(n),
            licenses_taken=history.get(n, (0, Decimal(0)))[0],
            royalties_paid=history.get(n, (0, Decimal(0)))[1],
            legal_events=views[n].status_change_count,
            encumbered=(
                views[n].suspended
                or views[n].under_preservation
                or views[n].annual_fee_status != "paid"
            ),
        )
        for n in numbers
    ]
    today = today_in_shanghai()
    result = value_portfolio(inputs, today)
    ltv = None
    if bank_org_id is not None:
        policy = await repo.bank_policy(bank_org_id)
        ltv = policy.loan_to_value_percent if policy else None
    valuation = ValuationRecord(
        id=str(uuid.uuid4()),
        pledge_id=pledge.id if pledge else None,
        requested_by=principal.org_id,
        application_numbers=numbers,
        method=result.method,
        method_version=result.method_version,
        low=result.low,
        point=result.point,
        high=result.high,
        patents=_patents_json(result),
        loan_to_value_percent=ltv,
        proposed_max_loan=proposed_max_loan(result, ltv) if ltv is not None else None,
        valued_on=today,
    )
    await repo.add_valuation(valuation)
    return valuation


def _patents_json(result: PortfolioValuation) -> list[dict[str, object]]:
    def text(value: object) -> object:
        return str(value) if isinstance(value, Decimal) else value

    return [
        {
            key: (
                [{k: text(v) for k, v in f.items()} for f in value]
                if key == "factors"
                else text(value)
            )
            for key, value in asdict(patent).items()
        }
        for patent in result.patents
    ]
