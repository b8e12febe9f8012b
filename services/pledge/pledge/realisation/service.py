"""After a default: the compensation claim, the disposal and the transfer to a buyer
(质权实现). registered -> defaulted -> compensation_claimed -> disposal -> realised."""

from __future__ import annotations

import uuid
from dataclasses import asdict

from pledge.banks.repository import BankRepository
from pledge.domain.compensation import CompensationClaim, claim_shares
from pledge.domain.pledge import Pledge, PledgeStatus, transition
from pledge.pledges.service import (
    about,
    act_as_bank,
    emit_pledge_event,
    pledge_for_bank_action,
    pledgor_ref,
)
from pledge.pledges.service import (
    get as get_pledge,
)
from pledge.realisation.commands import ClaimCompensation, RecordTransfer, StartDisposal
from pledge.realisation.repository import ClaimRepository
from pledge.repository import PledgeRepository
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.domain import Money
from shared.errors import NotFound
from shared.events.schemas import (
    CompensationShare,
    EventData,
    PatenteeRef,
    PledgeCompensationClaimed,
    PledgeDisposalStarted,
    PledgedPatentsTransferred,
    PledgeRealised,
)


async def claim_compensation(
    uow: UnitOfWork, principal: Principal, command: ClaimCompensation
) -> CompensationClaim:
    """Split the loss between fund, bank, insurer and appraiser; the fund's budget is
    reduced by its share (capped at what remains, see ``domain.compensation``)."""
    pledges, banks = PledgeRepository(uow.session), BankRepository(uow.session)
    pledge = await pledge_for_bank_action(pledges, principal, command.pledge_id)
    target = transition(pledge.status, PledgeStatus.COMPENSATION_CLAIMED)
    programme = await banks.programme_for_update(command.programme_id)
    if programme is None:
        raise NotFound(f"risk-compensation programme {command.programme_id} does not exist")
    programme.eligibility().check(pledge.pledgee_org_id, Money(pledge.secured_amount))
    loss = command.loss if command.loss is not None else Money(pledge.outstanding_principal())
    split = programme.compensate(loss)
    await banks.save_programme(programme)
    claim = CompensationClaim(
        id=str(uuid.uuid4()),
        pledge_id=pledge.id,
        programme_id=programme.id,
        loss=loss.amount,
        shares=claim_shares(programme.sharing, split),
        fund_shortfall=split.fund_shortfall.amount,
        claimed_on=command.claimed_on,
        created_at=uow.clock.now(),
    )
    await ClaimRepository(uow.session).add(claim)
    pledge.status = target
    await pledges.save(pledge)
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
            shares=[CompensationShare(**asdict(share)) for share in claim.shares],
            fund_shortfall=claim.fund_shortfall,
            claimed_on=command.claimed_on,
        ),
    )
    return claim


async def start_disposal(uow: UnitOfWork, principal: Principal, command: StartDisposal) -> Pledge:
    def act(pledge: Pledge) -> EventData:
        pledge.start_disposal(command.method, command.valuation)
        return PledgeDisposalStarted(
            **about(pledge),
            method=command.method.value,
            valuation=pledge.disposal_valuation,
            currency=pledge.currency,
            started_on=command.started_on,
        )

    return await act_as_bank(uow, principal, command.pledge_id, act)


async def record_transfer(uow: UnitOfWork, principal: Principal, command: RecordTransfer) -> Pledge:
    """The patents went to the buyer: listing changes the owner on
    ``PledgedPatentsTransferred``; the proceeds realise the pledge."""
    buyer = command.buyer

    def act(pledge: Pledge) -> tuple[EventData, ...]:
        pledge.realise(command.transferred_on, command.price, asdict(buyer))
        transferred = PledgedPatentsTransferred(
            **about(pledge),
            pledgor=pledgor_ref(pledge),
            buyer=PatenteeRef(
                name=buyer.name, uscc=buyer.uscc, share=100, party_type=buyer.party_type
            ),
            method=pledge.disposal_method.value if pledge.disposal_method else "sale",
            price=command.price,
            currency=pledge.currency,
            transferred_on=command.transferred_on,
        )
        realised = PledgeRealised(
            **about(pledge),
            proceeds=command.price,
            currency=pledge.currency,
            realised_on=command.transferred_on,
        )
        return transferred, realised

    return await act_as_bank(uow, principal, command.pledge_id, act)


async def get_claim(uow: UnitOfWork, principal: Principal, pledge_id: str) -> CompensationClaim:
    await get_pledge(uow, principal, pledge_id)
    claim = await ClaimRepository(uow.session).of_pledge(pledge_id)
    if claim is None:
        raise NotFound(f"pledge {pledge_id} has no compensation claim")
    return claim
