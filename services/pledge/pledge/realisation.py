"""After a default: the compensation claim, the disposal and the transfer to a buyer
(质权实现). registered -> defaulted -> compensation_claimed -> disposal -> realised."""

from __future__ import annotations

import uuid

from pledge.api import schemas
from pledge.domain.compensation import PARTIES, Eligibility, LossSharing, split_loss
from pledge.domain.errors import NothingOutstanding
from pledge.domain.pledge import PledgeStatus, transition
from pledge.models import CompensationClaimRecord, PledgeRecord, RiskProgrammeRecord
from pledge.publishing import emit_pledge_event
from pledge.repository import PledgeRepository
from pledge.service import get as get_pledge
from pledge.service import pledge_for_bank_action, pledgor_ref
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.domain import Money
from shared.errors import NotFound
from shared.events.schemas import (
    CompensationShare,
    PatenteeRef,
    PledgeCompensationClaimed,
    PledgeDisposalStarted,
    PledgedPatentsTransferred,
    PledgeRealised,
)


def sharing_of(programme: RiskProgrammeRecord) -> LossSharing:
    return LossSharing(
        fund=programme.fund_share,
        bank=programme.bank_share,
        insurer=programme.insurer_share,
        appraiser=programme.appraiser_share,
    )


async def claim_compensation(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.ClaimIn
) -> CompensationClaimRecord:
    """Split the loss between fund, bank, insurer and appraiser; the fund's budget is
    reduced by its share (capped at what remains, see ``domain.compensation``)."""
    repo = PledgeRepository(uow.session)
    pledge = await pledge_for_bank_action(repo, principal, pledge_id)
    target = transition(PledgeStatus(pledge.status), PledgeStatus.COMPENSATION_CLAIMED)
    programme = await repo.get_programme(body.programme_id, for_update=True)
    if programme is None:
        raise NotFound(f"risk-compensation programme {body.programme_id} does not exist")
    Eligibility(
        max_secured_amount=(
            Money(programme.max_secured_amount) if programme.max_secured_amount else None
        ),
        bank_org_ids=frozenset(programme.bank_org_ids),
    ).check(pledge.pledgee_org_id, Money(pledge.secured_amount))
    if body.loss is not None:
        loss = body.loss.to_money()
    elif pledge.outstanding_amount:
        loss = Money(pledge.outstanding_amount)
    else:
        raise NothingOutstanding(f"no principal of pledge {pledge.id} is outstanding")
    sharing = sharing_of(programme)
    split = split_loss(loss, sharing, Money(programme.remaining_budget))
    programme.remaining_budget = programme.remaining_budget - split.shares["fund"].amount
    uow.session.add(programme)
    percents = dict(zip(PARTIES, sharing.weights(), strict=True))
    claim = CompensationClaimRecord(
        id=str(uuid.uuid4()),
        pledge_id=pledge.id,
        programme_id=programme.id,
        loss=loss.amount,
        shares=[
            {"party": p, "percent": str(percents[p]), "amount": str(split.shares[p].amount)}
            for p in PARTIES
        ],
        fund_shortfall=split.fund_shortfall.amount,
        claimed_on=body.claimed_on,
    )
    await repo.add_claim(claim)
    pledge.status = target.value
    uow.session.add(pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeCompensationClaimed(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            claim_id=claim.id,
            programme_id=programme.id,
            loss=loss.amount,
            currency=pledge.currency,
            shares=[
                CompensationShare(party=p, percent=percents[p], amount=split.shares[p].amount)
                for p in PARTIES
            ],
            fund_shortfall=split.fund_shortfall.amount,
            claimed_on=body.claimed_on,
        ),
    )
    return claim


async def start_disposal(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.DisposalIn
) -> PledgeRecord:
    repo = PledgeRepository(uow.session)
    pledge = await pledge_for_bank_action(repo, principal, pledge_id)
    pledge.status = transition(PledgeStatus(pledge.status), PledgeStatus.DISPOSAL).value
    pledge.disposal_method = body.method.value
    pledge.disposal_valuation = body.valuation.amount if body.valuation else None
    uow.session.add(pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeDisposalStarted(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            method=body.method.value,
            valuation=pledge.disposal_valuation,
            currency=pledge.currency,
            started_on=body.started_on,
        ),
    )
    return pledge


async def record_transfer(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.TransferIn
) -> PledgeRecord:
    """The patents went to the buyer: listing changes the owner on
    ``PledgedPatentsTransferred``; the proceeds realise the pledge."""
    repo = PledgeRepository(uow.session)
    pledge = await pledge_for_bank_action(repo, principal, pledge_id)
    pledge.status = transition(PledgeStatus(pledge.status), PledgeStatus.REALISED).value
    pledge.realised_on = body.transferred_on
    pledge.realisation_proceeds = body.price.amount
    pledge.buyer = body.buyer.model_dump(mode="json")
    uow.session.add(pledge)
    method = pledge.disposal_method or "sale"
    emit_pledge_event(
        uow,
        pledge,
        PledgedPatentsTransferred(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            pledgor=pledgor_ref(pledge),
            buyer=PatenteeRef(
                name=body.buyer.name,
                uscc=body.buyer.uscc,
                share=100,
                party_type=body.buyer.party_type,
            ),
            method=method,
            price=body.price.amount,
            currency=pledge.currency,
            transferred_on=body.transferred_on,
        ),
    )
    emit_pledge_event(
        uow,
        pledge,
        PledgeRealised(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            proceeds=body.price.amount,
            currency=pledge.currency,
            realised_on=body.transferred_on,
        ),
    )
    return pledge


async def get_claim(
    uow: UnitOfWork, principal: Principal, pledge_id: str
) -> CompensationClaimRecord:
    await get_pledge(uow, principal, pledge_id)
    claim = await PledgeRepository(uow.session).claim_of(pledge_id)
    if claim is None:
        raise NotFound(f"pledge {pledge_id} has no compensation claim")
    return claim
