"""Pledge endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, status

from pledge import bank_actions, realisation, service
from pledge.api import schemas
from pledge.api.deps import BankOrOperator, BankTopicsDep, Caller, Pledgor
from pledge.domain.pledge import CancellationReason, PledgeStatus
from pledge.models import CompensationClaimRecord, PledgeConsentRecord, PledgeRecord
from shared.events.schemas import ConsentSubject
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute

router = APIRouter(tags=["pledges"], route_class=StrictRoute)
PledgeId = Annotated[str, Path(max_length=36)]


@router.post(
    "/pledges",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PledgePublic,
    summary="Apply to register a pledge (专利权质押登记)",
)
async def apply(
    body: schemas.PledgeCreate, principal: Pledgor, uow: UnitOfWorkDep, bank_topics: BankTopicsDep
) -> schemas.PledgePublic:
    """The patentee (pledgor) applies to pledge one or several patents to a bank. The
    application is checked against every refusal rule of the registration office, each
    with its own problem `type`: pledgor not the registered patentee, patent not valid,
    fees unpaid, suspension or preservation, debt term past expiry, forfeiture clause,
    missing co-owner consent, patent already pledged; and the pledgee bank's own rule,
    `pledge-remaining-term-too-short`, when the bank has a policy. Publishes
    `cn.ipmarket.pledge.pledge.submitted.v1`; the bank's topic is created the first time
    the bank is seen."""
    pledge = await service.apply(uow, principal, body, bank_topics)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/registration",
    response_model=schemas.PledgePublic,
    summary="Record the registration (pledgee bank or operator)",
)
async def register(
    pledge_id: PledgeId, body: schemas.RegistrationIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """Records the registration number from the office's certificate (a submitted or
    approved pledge); publishes `cn.ipmarket.pledge.pledge.registered.v1`. Every pre-check
    rule runs again. Of two pledges racing for one patent, exactly one is registered; the
    other is refused as `pledge-already-pledged`. A patent with an announced open licence
    is refused as `pledge-open-license-without-consent` until the bank records its
    consent to the open licence."""
    pledge = await service.register(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/cancellation",
    response_model=schemas.PledgePublic,
    summary="Cancel a registered pledge (pledgee bank or operator)",
)
async def cancel(
    pledge_id: PledgeId, body: schemas.CancellationIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """A registered pledge is cancelled as `repaid`, `waived` or `main_contract_void`; a
    realised one as `realised`; one whose patent lapsed as `patent_lapsed`
    (`pledge-cancellation-reason-not-allowed` otherwise). Publishes
    `cn.ipmarket.pledge.pledge.cancelled.v1`."""
    pledge = await service.cancel(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/approval",
    response_model=schemas.PledgePublic,
    tags=["bank actions"],
    summary="Approve the application (pledgee bank)",
)
async def approve(
    pledge_id: PledgeId, body: schemas.ApprovalIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """submitted -> approved; publishes `cn.ipmarket.pledge.pledge.approved.v1`."""
    pledge = await bank_actions.approve(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/refusal",
    response_model=schemas.PledgePublic,
    tags=["bank actions"],
    summary="Refuse the application, with the reason (pledgee bank)",
)
async def refuse(
    pledge_id: PledgeId, body: schemas.RefusalIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """submitted or approved -> refused (final); publishes
    `cn.ipmarket.pledge.pledge.refused.v1` with the reason."""
    pledge = await bank_actions.refuse(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/correction-request",
    response_model=schemas.PledgePublic,
    tags=["bank actions"],
    summary="Ask the pledgor to correct the application (pledgee bank)",
)
async def request_correction(
    pledge_id: PledgeId,
    body: schemas.CorrectionRequestIn,
    principal: BankOrOperator,
    uow: UnitOfWorkDep,
) -> schemas.PledgePublic:
    """submitted -> correction_requested; publishes
    `cn.ipmarket.pledge.pledge.correction_requested.v1` with what to correct."""
    pledge = await bank_actions.request_correction(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/submission",
    response_model=schemas.PledgePublic,
    summary="Submit a draft application (pledgor)",
)
async def submit(
    pledge_id: PledgeId,
    body: schemas.ResubmissionIn,
    principal: Pledgor,
    uow: UnitOfWorkDep,
    bank_topics: BankTopicsDep,
) -> schemas.PledgePublic:
    """draft -> submitted, with any amendments, after every pre-check rule and the bank's
    own rule; publishes `cn.ipmarket.pledge.pledge.submitted.v1`. From now on the bank
    sees the application."""
    pledge = await service.submit(uow, principal, pledge_id, body, bank_topics)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/resubmission",
    response_model=schemas.PledgePublic,
    summary="Resubmit a corrected application (pledgor)",
)
async def resubmit(
    pledge_id: PledgeId,
    body: schemas.ResubmissionIn,
    principal: Pledgor,
    uow: UnitOfWorkDep,
    bank_topics: BankTopicsDep,
) -> schemas.PledgePublic:
    """correction_requested -> submitted, after every pre-check rule ran again on the
    corrected terms; publishes `cn.ipmarket.pledge.pledge.submitted.v1` with
    `resubmission: true`."""
    pledge = await service.submit(uow, principal, pledge_id, body, bank_topics)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/changes",
    response_model=schemas.PledgePublic,
    tags=["bank actions"],
    summary="Record a change of amount, term or parties (质押登记变更)",
)
async def change(
    pledge_id: PledgeId, body: schemas.ChangeIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """A registered pledge passes through `changed` back to `registered`; publishes
    `cn.ipmarket.pledge.pledge.changed.v1` naming the changed fields. A new debt term past
    a patent's expiry is refused (`pledge-debt-term-past-expiry`); a change that changes
    nothing is `pledge-change-empty`."""
    pledge = await bank_actions.change(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/disbursement",
    response_model=schemas.PledgePublic,
    tags=["bank actions"],
    summary="Record the loan's disbursement (pledgee bank)",
)
async def disburse(
    pledge_id: PledgeId, body: schemas.DisbursementIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """Once per registered pledge, at most the secured amount; the amount becomes the
    outstanding principal. Publishes `cn.ipmarket.pledge.loan.disbursed.v1`."""
    pledge = await bank_actions.disburse(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/repayments",
    response_model=schemas.PledgePublic,
    tags=["bank actions"],
    summary="Record a partial or full repayment (pledgee bank)",
)
async def repay(
    pledge_id: PledgeId, body: schemas.RepaymentIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """Reduces the outstanding principal (more than is outstanding is
    `pledge-repayment-exceeds-outstanding`); publishes
    `cn.ipmarket.pledge.loan.repayment_recorded.v1` with `fully_repaid`. Send an
    `Idempotency-Key`: a retried repayment is then recorded once."""
    pledge = await bank_actions.record_repayment(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/overdue",
    response_model=schemas.PledgePublic,
    tags=["bank actions"],
    summary="Report the loan overdue (pledgee bank)",
)
async def overdue(
    pledge_id: PledgeId, body: schemas.OverdueIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """The pledge stays registered; publishes `cn.ipmarket.pledge.loan.overdue.v1`."""
    pledge = await bank_actions.report_overdue(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/default",
    response_model=schemas.PledgePublic,
    tags=["default"],
    summary="Report the borrower's default (pledgee bank)",
)
async def default(
    pledge_id: PledgeId, body: schemas.DefaultIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """registered -> defaulted, with principal outstanding; publishes
    `cn.ipmarket.pledge.pledge.defaulted.v1`."""
    pledge = await bank_actions.report_default(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


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
    claim = await realisation.claim_compensation(uow, principal, pledge_id, body)
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
    return claim_public(await realisation.get_claim(uow, principal, pledge_id))


@router.post(
    "/pledges/{pledge_id}/disposal",
    response_model=schemas.PledgePublic,
    tags=["default"],
    summary="Start the disposal: auction, sale or discount (pledgee bank)",
)
async def start_disposal(
    pledge_id: PledgeId, body: schemas.DisposalIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """defaulted or compensation_claimed -> disposal; publishes
    `cn.ipmarket.pledge.disposal.started.v1`."""
    pledge = await realisation.start_disposal(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/disposal/transfer",
    response_model=schemas.PledgePublic,
    tags=["default"],
    summary="Record the transfer of the patents to the buyer (pledgee bank)",
)
async def record_transfer(
    pledge_id: PledgeId, body: schemas.TransferIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """disposal -> realised. Publishes `cn.ipmarket.pledge.disposal.transferred.v1` (the
    listing service changes the owner on it) and `cn.ipmarket.pledge.pledge.realised.v1`;
    the bank then cancels the pledge as `realised`."""
    pledge = await realisation.record_transfer(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.post(
    "/pledges/{pledge_id}/consents",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ConsentPublic,
    tags=["bank actions"],
    summary="Record the pledgee's consent (质权人同意)",
)
async def record_consent(
    pledge_id: PledgeId, body: schemas.ConsentIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> schemas.ConsentPublic:
    """Consent to a transfer, a licence, an open licence or abandonment of the pledged
    patents; publishes `cn.ipmarket.pledge.consent.recorded.v1`, which listing and license
    keep in their encumbrance views."""
    consent = await bank_actions.record_consent(uow, principal, pledge_id, body)
    await uow.commit()
    return consent_public(consent)


@router.get(
    "/pledges/{pledge_id}/consents",
    response_model=list[schemas.ConsentPublic],
    tags=["bank actions"],
    summary="The pledgee's consents on record",
)
async def consents(
    pledge_id: PledgeId, principal: Caller, uow: UnitOfWorkDep
) -> list[schemas.ConsentPublic]:
    """Oldest first; visible to the pledge's parties and the operator (anyone else gets
    404 `not-found`, as for a pledge that does not exist)."""
    return [consent_public(c) for c in await bank_actions.consents(uow, principal, pledge_id)]


@router.get("/pledges/{pledge_id}", response_model=schemas.PledgePublic, summary="Get a pledge")
async def get(pledge_id: PledgeId, principal: Caller, uow: UnitOfWorkDep) -> schemas.PledgePublic:
    """Visible to its pledgor, its pledgee bank (once submitted) and the operator. Anyone
    else, another bank included, gets 404 `not-found` exactly as for an id that does not
    exist: whether a pledge exists is the parties' business."""
    return _public(await service.get(uow, principal, pledge_id))


@router.get("/pledges", response_model=Page[schemas.PledgePublic], summary="List pledges")
async def list_pledges(
    page: PageDep, principal: Caller, uow: UnitOfWorkDep
) -> Page[schemas.PledgePublic]:
    """Newest first. A bank sees the pledges where it is the pledgee, a pledgor its own,
    the operator all."""
    after = page.after(TimeIdPosition)
    records = await service.list_pledges(
        uow, principal, limit=page.limit, after=after.key if after else None
    )
    cursor = None
    if len(records) == page.limit:
        cursor = TimeIdPosition(t=records[-1].created_at, id=records[-1].id).cursor()
    return Page(items=[_public(r) for r in records], next_cursor=cursor)


def _public(pledge: PledgeRecord) -> schemas.PledgePublic:
    return schemas.PledgePublic(
        id=pledge.id,
        status=PledgeStatus(pledge.status),
        application_numbers=pledge.application_numbers,
        pledgor=schemas.OrgOut(
            org_id=pledge.pledgor_org_id, name=pledge.pledgor_name, uscc=pledge.pledgor_uscc
        ),
        pledgee=schemas.OrgOut(
            org_id=pledge.pledgee_org_id, name=pledge.pledgee_name, uscc=pledge.pledgee_uscc
        ),
        secured_amount=schemas.money(pledge.secured_amount, pledge.currency),
        debt_term_end=pledge.debt_term_end,
        registration_number=pledge.registration_number,
        registered_on=pledge.registered_on,
        cancelled_on=pledge.cancelled_on,
        cancellation_reason=(
            CancellationReason(pledge.cancellation_reason) if pledge.cancellation_reason else None
        ),
        approved_on=pledge.approved_on,
        refusal_reason=pledge.refusal_reason,
        correction_reason=pledge.correction_reason,
        disbursed=schemas.money_or_none(pledge.disbursed_amount, pledge.currency),
        disbursed_on=pledge.disbursed_on,
        outstanding=schemas.money_or_none(pledge.outstanding_amount, pledge.currency),
        overdue_since=pledge.overdue_since,
        defaulted_on=pledge.defaulted_on,
        disposal_method=pledge.disposal_method,
        realised_on=pledge.realised_on,
        realisation_proceeds=schemas.money_or_none(pledge.realisation_proceeds, pledge.currency),
        created_at=pledge.created_at,
    )


def consent_public(consent: PledgeConsentRecord) -> schemas.ConsentPublic:
    return schemas.ConsentPublic(
        id=consent.id,
        consent_to=ConsentSubject(consent.consent_to),
        counterparty_uscc=consent.counterparty_uscc,
        document_sha256=consent.document_sha256,
        recorded_on=consent.recorded_on,
    )


def claim_public(claim: CompensationClaimRecord) -> schemas.ClaimPublic:
    return schemas.ClaimPublic(
        id=claim.id,
        pledge_id=claim.pledge_id,
        programme_id=claim.programme_id,
        loss=schemas.money(claim.loss, "CNY"),
        shares=[
            schemas.ShareOut(
                party=s["party"],
                percent=Decimal(s["percent"]),
                amount=schemas.money(Decimal(s["amount"]), "CNY"),
            )
            for s in claim.shares
        ],
        fund_shortfall=schemas.money(claim.fund_shortfall, "CNY"),
        claimed_on=claim.claimed_on,
    )
