"""What the pledgee bank does with a pledge (review, loan, consent) and the pledgor's
answer to a correction request. Each use case locks the pledge row, applies the state
machine and stages its event for the internal and the bank's topic."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pledge.api import schemas
from pledge.domain.errors import (
    AlreadyDisbursed,
    ChangeEmpty,
    DebtTermPastExpiry,
    DisbursementExceedsSecuredAmount,
    InvalidTransition,
    NothingOutstanding,
    RepaymentExceedsOutstanding,
)
from pledge.domain.pledge import CONSENTABLE, PledgeStatus, transition
from pledge.models import PledgeConsentRecord, PledgeRecord
from pledge.publishing import emit_pledge_event
from pledge.repository import PledgeRepository
from pledge.service import (
    pledge_for_bank_action,
    pledgee_ref,
    pledgor_ref,
    reinstate_pledge,
    views_of,
    visible_pledge,
)
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.events.schemas import (
    ConsentSubject,
    PledgeApplicationRefused,
    PledgeApproved,
    PledgeChanged,
    PledgeCorrectionRequested,
    PledgeDefaulted,
    PledgeeConsentRecorded,
    PledgeLoanDisbursed,
    PledgeLoanOverdue,
    PledgeRepaymentRecorded,
)

# -- review -----------------------------------------------------------------------------


async def approve(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.ApprovalIn
) -> PledgeRecord:
    pledge, repo = await _locked(uow, principal, pledge_id)
    pledge.status = transition(PledgeStatus(pledge.status), PledgeStatus.APPROVED).value
    pledge.approved_on = body.approved_on
    await _save(repo, pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeApproved(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            approved_on=body.approved_on,
        ),
    )
    return pledge


async def refuse(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.RefusalIn
) -> PledgeRecord:
    pledge, repo = await _locked(uow, principal, pledge_id)
    pledge.status = transition(PledgeStatus(pledge.status), PledgeStatus.REFUSED).value
    pledge.refusal_reason = body.reason
    await _save(repo, pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeApplicationRefused(
            pledge_id=pledge.id, application_numbers=pledge.application_numbers, reason=body.reason
        ),
    )
    return pledge


async def request_correction(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.CorrectionRequestIn
) -> PledgeRecord:
    pledge, repo = await _locked(uow, principal, pledge_id)
    pledge.status = transition(PledgeStatus(pledge.status), PledgeStatus.CORRECTION_REQUESTED).value
    pledge.correction_reason = body.reason
    await _save(repo, pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeCorrectionRequested(
            pledge_id=pledge.id, application_numbers=pledge.application_numbers, reason=body.reason
        ),
    )
    return pledge


# -- a registered pledge changes -----------------------------------------------------------


async def change(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.ChangeIn
) -> PledgeRecord:
    """质押登记变更: registered -> changed -> registered in one step, with its event."""
    pledge, repo = await _locked(uow, principal, pledge_id)
    changing = transition(PledgeStatus(pledge.status), PledgeStatus.CHANGED)
    changed: list[str] = []
    if body.secured_amount is not None and body.secured_amount.amount != pledge.secured_amount:
        pledge.secured_amount = body.secured_amount.amount
        changed.append("secured_amount")
    if body.debt_term_end is not None and body.debt_term_end != pledge.debt_term_end:
        views = views_of(await repo.patent_views(pledge.application_numbers))
        for number, view in sorted(views.items()):
            if body.debt_term_end > view.expiry_date:
                raise DebtTermPastExpiry(
                    f"the debt term would end {body.debt_term_end}, after patent {number} "
                    f"expires on {view.expiry_date}"
                )
        pledge.debt_term_end = body.debt_term_end
        changed.append("debt_term_end")
    for field, value in (
        ("pledgor_name", body.pledgor_name),
        ("pledgee_name", body.pledgee_name),
        ("pledgee_uscc", body.pledgee_uscc),
    ):
        if value is not None and value != getattr(pledge, field):
            setattr(pledge, field, value)
            changed.append(field)
    if not changed:
        raise ChangeEmpty("the change carries no new amount, term or party data")
    pledge.status = transition(changing, PledgeStatus.REGISTERED).value
    pledge.change_count += 1
    await _save(repo, pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeChanged(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            pledgor=pledgor_ref(pledge),
            pledgee=pledgee_ref(pledge),
            secured_amount=pledge.secured_amount,
            currency=pledge.currency,
            debt_term_end=pledge.debt_term_end,
            changed_fields=changed,
            changed_on=body.changed_on,
        ),
    )
    return pledge


# -- the loan -------------------------------------------------------------------------------


async def disburse(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.DisbursementIn
) -> PledgeRecord:
    pledge, repo = await _locked(uow, principal, pledge_id)
    _require(pledge, PledgeStatus.REGISTERED, "disburse the loan")
    if pledge.disbursed_amount is not None:
        raise AlreadyDisbursed(
            f"the loan of pledge {pledge.id} was disbursed on {pledge.disbursed_on}"
        )
    amount = body.amount.amount
    if amount <= 0 or amount > pledge.secured_amount:
        raise DisbursementExceedsSecuredAmount(
            f"a disbursement of {amount} must be above zero and at most the secured "
            f"amount {pledge.secured_amount}"
        )
    pledge.disbursed_amount = amount
    pledge.disbursed_on = body.disbursed_on
    pledge.outstanding_amount = amount
    await _save(repo, pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeLoanDisbursed(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            amount=amount,
            currency=pledge.currency,
            disbursed_on=body.disbursed_on,
        ),
    )
    return pledge


async def record_repayment(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.RepaymentIn
) -> PledgeRecord:
    """A partial or full repayment; the bank cancels the pledge (``repaid``) after the
    last one."""
    pledge, repo = await _locked(uow, principal, pledge_id)
    _require(pledge, PledgeStatus.REGISTERED, "record a repayment")
    outstanding = pledge.outstanding_amount
    if not outstanding:
        raise NothingOutstanding(f"no principal of pledge {pledge.id} is outstanding")
    amount = body.amount.amount
    if amount <= 0 or amount > outstanding:
        raise RepaymentExceedsOutstanding(
            f"a repayment of {amount} must be above zero and at most the outstanding {outstanding}",
            outstanding=str(outstanding),
        )
    pledge.outstanding_amount = outstanding - amount
    if not pledge.outstanding_amount:
        pledge.overdue_since = None
    await _save(repo, pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeRepaymentRecorded(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            amount=amount,
            outstanding=pledge.outstanding_amount,
            currency=pledge.currency,
            fully_repaid=not pledge.outstanding_amount,
            repaid_on=body.repaid_on,
        ),
    )
    return pledge


async def report_overdue(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.OverdueIn
) -> PledgeRecord:
    pledge, repo = await _locked(uow, principal, pledge_id)
    _require(pledge, PledgeStatus.REGISTERED, "report the loan overdue")
    outstanding = _outstanding(pledge)
    pledge.overdue_since = body.overdue_since
    await _save(repo, pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeLoanOverdue(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            outstanding=outstanding,
            currency=pledge.currency,
            overdue_since=body.overdue_since,
        ),
    )
    return pledge


async def report_default(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.DefaultIn
) -> PledgeRecord:
    pledge, repo = await _locked(uow, principal, pledge_id)
    target = transition(PledgeStatus(pledge.status), PledgeStatus.DEFAULTED)
    outstanding = _outstanding(pledge)
    pledge.status = target.value
    pledge.defaulted_on = body.defaulted_on
    await _save(repo, pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeDefaulted(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            outstanding=outstanding,
            currency=pledge.currency,
            defaulted_on=body.defaulted_on,
        ),
    )
    return pledge


# -- consent --------------------------------------------------------------------------------


async def record_consent(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.ConsentIn
) -> PledgeConsentRecord:
    """The pledgee's written consent to a transfer, licence, open licence or abandonment."""
    pledge, repo = await _locked(uow, principal, pledge_id)
    if PledgeStatus(pledge.status) not in CONSENTABLE:
        raise _invalid(pledge, "record a consent")
    consent = PledgeConsentRecord(
        id=str(uuid.uuid4()),
        pledge_id=pledge.id,
        consent_to=body.consent_to.value,
        counterparty_uscc=body.counterparty_uscc,
        document_sha256=body.document_sha256,
        recorded_on=body.recorded_on,
    )
    await repo.add_consent(consent)
    reinstating = (
        PledgeStatus(pledge.status) is PledgeStatus.SUSPENDED
        and body.consent_to is ConsentSubject.OPEN_LICENSE
    )
    emit_pledge_event(
        uow,
        pledge,
        PledgeeConsentRecorded(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            pledgee=pledgee_ref(pledge),
            consent_to=body.consent_to,
            counterparty_uscc=body.counterparty_uscc,
            document_sha256=body.document_sha256,
            recorded_on=body.recorded_on,
        ),
    )
    if reinstating:
        reinstate_pledge(uow, pledge, "the pledgee consented to the open licence")
    return consent


async def consents(
    uow: UnitOfWork, principal: Principal, pledge_id: str
) -> list[PledgeConsentRecord]:
    repo = PledgeRepository(uow.session)
    pledge = await visible_pledge(repo, principal, pledge_id)
    return await repo.consents(pledge.id)


# -- helpers --------------------------------------------------------------------------------


async def _locked(
    uow: UnitOfWork, principal: Principal, pledge_id: str
) -> tuple[PledgeRecord, PledgeRepository]:
    repo = PledgeRepository(uow.session)
    return await pledge_for_bank_action(repo, principal, pledge_id), repo


async def _save(repo: PledgeRepository, pledge: PledgeRecord) -> None:
    repo.session.add(pledge)
    await repo.session.flush()


def _require(pledge: PledgeRecord, status: PledgeStatus, action: str) -> None:
    if pledge.status != status:
        raise _invalid(pledge, action)


def _invalid(pledge: PledgeRecord, action: str) -> InvalidTransition:
    return InvalidTransition(f"cannot {action} on a {pledge.status} pledge")


def _outstanding(pledge: PledgeRecord) -> Decimal:
    if not pledge.outstanding_amount:
        raise NothingOutstanding(f"no principal of pledge {pledge.id} is outstanding")
    return pledge.outstanding_amount
