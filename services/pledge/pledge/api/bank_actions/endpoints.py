"""What the pledgee bank records on a pledge: thin endpoints."""

from __future__ import annotations

from fastapi import APIRouter, status

from pledge.api.bank_actions import schemas
from pledge.api.deps import BankOrOperator, Caller
from pledge.api.pledges.endpoints import PledgeId, pledge_public
from pledge.api.pledges.schemas import PledgePublic
from pledge.api.schemas import RefusalIn
from pledge.bank_actions import commands, service
from pledge.domain.pledge import Consent
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute

router = APIRouter(tags=["pledges"], route_class=StrictRoute)


@router.post(
    "/pledges/{pledge_id}/approval",
    response_model=PledgePublic,
    tags=["bank actions"],
    summary="Approve the application (pledgee bank)",
)
async def approve(
    pledge_id: PledgeId, body: schemas.ApprovalIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> PledgePublic:
    """submitted -> approved; publishes `cn.ipmarket.pledge.pledge.approved.v1`."""
    pledge = await service.approve(
        uow, principal, commands.ApprovePledge(pledge_id, body.approved_on)
    )
    await uow.commit()
    return pledge_public(pledge)


@router.post(
    "/pledges/{pledge_id}/refusal",
    response_model=PledgePublic,
    tags=["bank actions"],
    summary="Refuse the application, with the reason (pledgee bank)",
)
async def refuse(
    pledge_id: PledgeId, body: RefusalIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> PledgePublic:
    """submitted or approved -> refused (final); publishes
    `cn.ipmarket.pledge.pledge.refused.v1` with the reason."""
    pledge = await service.refuse(uow, principal, commands.RefusePledge(pledge_id, body.reason))
    await uow.commit()
    return pledge_public(pledge)


@router.post(
    "/pledges/{pledge_id}/correction-request",
    response_model=PledgePublic,
    tags=["bank actions"],
    summary="Ask the pledgor to correct the application (pledgee bank)",
)
async def request_correction(
    pledge_id: PledgeId,
    body: schemas.CorrectionRequestIn,
    principal: BankOrOperator,
    uow: UnitOfWorkDep,
) -> PledgePublic:
    """submitted -> correction_requested; publishes
    `cn.ipmarket.pledge.pledge.correction_requested.v1` with what to correct."""
    command = commands.RequestCorrection(pledge_id, body.reason)
    pledge = await service.request_correction(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


@router.post(
    "/pledges/{pledge_id}/changes",
    response_model=PledgePublic,
    tags=["bank actions"],
    summary="Record a change of amount, term or parties (质押登记变更)",
)
async def change(
    pledge_id: PledgeId, body: schemas.ChangeIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> PledgePublic:
    """A registered pledge passes through `changed` back to `registered`; publishes
    `cn.ipmarket.pledge.pledge.changed.v1` naming the changed fields. A new debt term past
    a patent's expiry is refused (`pledge-debt-term-past-expiry`); a change that changes
    nothing is `pledge-change-empty`."""
    command = commands.ChangePledge(
        pledge_id=pledge_id,
        secured_amount=body.secured_amount.amount if body.secured_amount is not None else None,
        debt_term_end=body.debt_term_end,
        pledgor_name=body.pledgor_name,
        pledgee_name=body.pledgee_name,
        pledgee_uscc=body.pledgee_uscc,
        changed_on=body.changed_on,
    )
    pledge = await service.change(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


@router.post(
    "/pledges/{pledge_id}/disbursement",
    response_model=PledgePublic,
    tags=["bank actions"],
    summary="Record the loan's disbursement (pledgee bank)",
)
async def disburse(
    pledge_id: PledgeId, body: schemas.DisbursementIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> PledgePublic:
    """Once per registered pledge, at most the secured amount; the amount becomes the
    outstanding principal. Publishes `cn.ipmarket.pledge.loan.disbursed.v1`."""
    command = commands.DisburseLoan(pledge_id, body.amount.amount, body.disbursed_on)
    pledge = await service.disburse(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


@router.post(
    "/pledges/{pledge_id}/repayments",
    response_model=PledgePublic,
    tags=["bank actions"],
    summary="Record a partial or full repayment (pledgee bank)",
)
async def repay(
    pledge_id: PledgeId, body: schemas.RepaymentIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> PledgePublic:
    """Reduces the outstanding principal (more than is outstanding is
    `pledge-repayment-exceeds-outstanding`); publishes
    `cn.ipmarket.pledge.loan.repayment_recorded.v1` with `fully_repaid`. Send an
    `Idempotency-Key`: a retried repayment is then recorded once."""
    command = commands.RecordRepayment(pledge_id, body.amount.amount, body.repaid_on)
    pledge = await service.record_repayment(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


@router.post(
    "/pledges/{pledge_id}/overdue",
    response_model=PledgePublic,
    tags=["bank actions"],
    summary="Report the loan overdue (pledgee bank)",
)
async def overdue(
    pledge_id: PledgeId, body: schemas.OverdueIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> PledgePublic:
    """The pledge stays registered; publishes `cn.ipmarket.pledge.loan.overdue.v1`."""
    command = commands.ReportOverdue(pledge_id, body.overdue_since)
    pledge = await service.report_overdue(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


@router.post(
    "/pledges/{pledge_id}/default",
    response_model=PledgePublic,
    tags=["default"],
    summary="Report the borrower's default (pledgee bank)",
)
async def default(
    pledge_id: PledgeId, body: schemas.DefaultIn, principal: BankOrOperator, uow: UnitOfWorkDep
) -> PledgePublic:
    """registered -> defaulted, with principal outstanding; publishes
    `cn.ipmarket.pledge.pledge.defaulted.v1`."""
    command = commands.ReportDefault(pledge_id, body.defaulted_on)
    pledge = await service.report_default(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


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
    command = commands.RecordConsent(
        pledge_id=pledge_id,
        consent_to=body.consent_to,
        counterparty_uscc=body.counterparty_uscc,
        document_sha256=body.document_sha256,
        recorded_on=body.recorded_on,
    )
    consent = await service.record_consent(uow, principal, command)
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
    return [consent_public(c) for c in await service.consents(uow, principal, pledge_id)]


def consent_public(consent: Consent) -> schemas.ConsentPublic:
    return schemas.ConsentPublic(
        id=consent.id,
        consent_to=consent.consent_to,
        counterparty_uscc=consent.counterparty_uscc,
        document_sha256=consent.document_sha256,
        recorded_on=consent.recorded_on,
    )
