"""After a default: compensation claim, disposal, transfer — thin endpoints."""

from __future__ import annotations

from fastapi import APIRouter, status

from pledge.api.deps import BankOrOperator, Caller
from pledge.api.pledges.endpoints import PledgeId, pledge_public
from pledge.api.pledges.schemas import PledgePublic
from pledge.api.realisation import schemas
from pledge.api.schemas import money
from pledge.domain.compensation import CompensationClaim
from pledge.realisation import service
from pledge.realisation.commands import Buyer, ClaimCompensation, RecordTransfer, StartDisposal
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute

router = APIRouter(tags=["pledges"], route_class=StrictRoute)


@router.post(
    "/pledges/{pledge_id}/compensation-claim",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ClaimPublic,
    tags=["default"],
    summary="Claim on a risk-compensation programme (pledgee bank)",
)
async def claim_compensation(
    pledge_id: PledgeId, body: schemas.ClaimIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.ClaimPublic:
    """defaulted -> compensation_claimed. The loss (the outstanding principal unless
    given) is split between fund, bank, insurer and appraiser exactly to the fen. The
    fund pays at most its remaining budget; the bank bears any shortfall
    (`fund_shortfall`); a fund with nothing left refuses
    (`risk-programme-budget-exhausted`). Publishes
    `cn.ipmarket.pledge.compensation.claimed.v1`."""
    loss = body.loss.to_money() if body.loss is not None else None
    command = ClaimCompensation(pledge_id, body.programme_id, loss, body.claimed_on)
    claim = await service.claim_compensation(uow, principal, command)
    await uow.commit()
    return claim_public(claim)


@router.get(
    "/pledges/{pledge_id}/compensation-claim",
    response_model=schemas.ClaimPublic,
    tags=["default"],
    summary="The pledge's compensation claim",
)
async def get_claim(
    pledge_id: PledgeId, principal: Caller, uow: UnitOfWorkDep
) -> schemas.ClaimPublic:
    """Visible to the pledge's parties and the operator."""
    return claim_public(await service.get_claim(uow, principal, pledge_id))


@router.post(
    "/pledges/{pledge_id}/disposal",
    response_model=PledgePublic,
    tags=["default"],
    summary="Start the disposal: auction, sale or discount (pledgee bank)",
)
async def start_disposal(
    pledge_id: PledgeId, body: schemas.DisposalIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> PledgePublic:
    """defaulted or compensation_claimed -> disposal; publishes
    `cn.ipmarket.pledge.disposal.started.v1`."""
    valuation = body.valuation.amount if body.valuation else None
    command = StartDisposal(pledge_id, body.method, valuation, body.started_on)
    pledge = await service.start_disposal(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


@router.post(
    "/pledges/{pledge_id}/disposal/transfer",
    response_model=PledgePublic,
    tags=["default"],
    summary="Record the transfer of the patents to the buyer (pledgee bank)",
)
async def record_transfer(
    pledge_id: PledgeId, body: schemas.TransferIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> PledgePublic:
    """disposal -> realised. Publishes `cn.ipmarket.pledge.disposal.transferred.v1` (the
    listing service changes the owner on it) and `cn.ipmarket.pledge.pledge.realised.v1`;
    the bank then cancels the pledge as `realised`."""
    buyer = Buyer(body.buyer.name, body.buyer.uscc, body.buyer.party_type)
    command = RecordTransfer(pledge_id, buyer, body.price.amount, body.transferred_on)
    pledge = await service.record_transfer(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


def claim_public(claim: CompensationClaim) -> schemas.ClaimPublic:
    return schemas.ClaimPublic(
        id=claim.id,
        pledge_id=claim.pledge_id,
        programme_id=claim.programme_id,
        loss=money(claim.loss, "CNY"),
        shares=[
            schemas.ShareOut(party=s.party, percent=s.percent, amount=money(s.amount, "CNY"))
            for s in claim.shares
        ],
        fund_shortfall=money(claim.fund_shortfall, "CNY"),
        claimed_on=claim.claimed_on,
    )
