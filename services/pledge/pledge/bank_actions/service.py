"""What the pledgee bank does with a pledge (review, change, loan, consent). Each use
case locks the pledge, applies the domain rule, saves it and stages its event for the
internal and the bank's topic (``pledges.service.act_as_bank``)."""

from __future__ import annotations

import uuid

from pledge.bank_actions import commands
from pledge.domain.pledge import Consent, Pledge, PledgeStatus
from pledge.pledges.service import (
    about,
    act_as_bank,
    emit_pledge_event,
    event_terms,
    pledge_for_bank_action,
    pledgee_ref,
    reinstate_pledge,
    visible_pledge,
)
from pledge.repository import PledgeRepository, ViewRepository
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.domain.terms import ConsentSubject
from shared.events.schemas import (
    EventData,
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


async def approve(uow: UnitOfWork, principal: Principal, command: commands.ApprovePledge) -> Pledge:
    def act(pledge: Pledge) -> EventData:
        pledge.move_to(PledgeStatus.APPROVED)
        pledge.approved_on = command.approved_on
        return PledgeApproved(**about(pledge), approved_on=command.approved_on)

    return await act_as_bank(uow, principal, command.pledge_id, act)


async def refuse(uow: UnitOfWork, principal: Principal, command: commands.RefusePledge) -> Pledge:
    def act(pledge: Pledge) -> EventData:
        pledge.move_to(PledgeStatus.REFUSED)
        pledge.refusal_reason = command.reason
        return PledgeApplicationRefused(**about(pledge), reason=command.reason)

    return await act_as_bank(uow, principal, command.pledge_id, act)


async def request_correction(
    uow: UnitOfWork, principal: Principal, command: commands.RequestCorrection
) -> Pledge:
    def act(pledge: Pledge) -> EventData:
        pledge.move_to(PledgeStatus.CORRECTION_REQUESTED)
        pledge.correction_reason = command.reason
        return PledgeCorrectionRequested(**about(pledge), reason=command.reason)

    return await act_as_bank(uow, principal, command.pledge_id, act)


# -- a registered pledge changes -----------------------------------------------------------


async def change(uow: UnitOfWork, principal: Principal, command: commands.ChangePledge) -> Pledge:
    """质押登记变更: registered -> changed -> registered in one step, with its event."""
    pledges = PledgeRepository(uow.session)
    pledge = await pledge_for_bank_action(pledges, principal, command.pledge_id)
    views = await ViewRepository(uow.session).patents(pledge.application_numbers)
    changed = pledge.change(
        secured_amount=command.secured_amount,
        debt_term_end=command.debt_term_end,
        parties={
            "pledgor_name": command.pledgor_name,
            "pledgee_name": command.pledgee_name,
            "pledgee_uscc": command.pledgee_uscc,
        },
        views=views,
    )
    await pledges.save(pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeChanged(**event_terms(pledge), changed_fields=changed, changed_on=command.changed_on),
    )
    return pledge


# -- the loan -------------------------------------------------------------------------------


async def disburse(uow: UnitOfWork, principal: Principal, command: commands.DisburseLoan) -> Pledge:
    def act(pledge: Pledge) -> EventData:
        pledge.disburse(command.amount, command.disbursed_on)
        return PledgeLoanDisbursed(
            **about(pledge),
            amount=command.amount,
            currency=pledge.currency,
            disbursed_on=command.disbursed_on,
        )

    return await act_as_bank(uow, principal, command.pledge_id, act)


async def record_repayment(
    uow: UnitOfWork, principal: Principal, command: commands.RecordRepayment
) -> Pledge:
    """A partial or full repayment; the bank cancels the pledge (``repaid``) after the
    last one."""

    def act(pledge: Pledge) -> EventData:
        pledge.repay(command.amount)
        return PledgeRepaymentRecorded(
            **about(pledge),
            amount=command.amount,
            outstanding=pledge.outstanding_amount,
            currency=pledge.currency,
            fully_repaid=not pledge.outstanding_amount,
            repaid_on=command.repaid_on,
        )

    return await act_as_bank(uow, principal, command.pledge_id, act)


async def report_overdue(
    uow: UnitOfWork, principal: Principal, command: commands.ReportOverdue
) -> Pledge:
    def act(pledge: Pledge) -> EventData:
        outstanding = pledge.report_overdue(command.overdue_since)
        return PledgeLoanOverdue(
            **about(pledge),
            outstanding=outstanding,
            currency=pledge.currency,
            overdue_since=command.overdue_since,
        )

    return await act_as_bank(uow, principal, command.pledge_id, act)


async def report_default(
    uow: UnitOfWork, principal: Principal, command: commands.ReportDefault
) -> Pledge:
    def act(pledge: Pledge) -> EventData:
        outstanding = pledge.default(command.defaulted_on)
        return PledgeDefaulted(
            **about(pledge),
            outstanding=outstanding,
            currency=pledge.currency,
            defaulted_on=command.defaulted_on,
        )

    return await act_as_bank(uow, principal, command.pledge_id, act)


# -- consent --------------------------------------------------------------------------------


async def record_consent(
    uow: UnitOfWork, principal: Principal, command: commands.RecordConsent
) -> Consent:
    """The pledgee's written consent to a transfer, licence, open licence or abandonment."""
    pledges = PledgeRepository(uow.session)
    pledge = await pledge_for_bank_action(pledges, principal, command.pledge_id)
    pledge.check_consentable()
    consent = Consent(
        id=str(uuid.uuid4()),
        pledge_id=pledge.id,
        consent_to=command.consent_to,
        counterparty_uscc=command.counterparty_uscc,
        document_sha256=command.document_sha256,
        recorded_on=command.recorded_on,
        created_at=uow.clock.now(),
    )
    await pledges.add_consent(consent)
    emit_pledge_event(
        uow,
        pledge,
        PledgeeConsentRecorded(
            **about(pledge),
            pledgee=pledgee_ref(pledge),
            consent_to=command.consent_to,
            counterparty_uscc=command.counterparty_uscc,
            document_sha256=command.document_sha256,
            recorded_on=command.recorded_on,
        ),
    )
    if (
        pledge.status is PledgeStatus.SUSPENDED
        and command.consent_to is ConsentSubject.OPEN_LICENSE
    ):
        await reinstate_pledge(uow, pledges, pledge, "the pledgee consented to the open licence")
    return consent


async def consents(uow: UnitOfWork, principal: Principal, pledge_id: str) -> list[Consent]:
    pledges = PledgeRepository(uow.session)
    pledge = await visible_pledge(pledges, principal, pledge_id)
    return await pledges.consents(pledge.id)
