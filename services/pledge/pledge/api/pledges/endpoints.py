"""Pledge applications and registrations: thin — parse, call the service, shape the
response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from pledge.api.deps import AdaptersDep, BankOrOperator, Caller, Pledgor
from pledge.api.pledges import schemas
from pledge.api.schemas import money, money_or_none
from pledge.domain.pledge import Pledge
from pledge.pledges import service
from pledge.pledges.commands import (
    ApplyForPledge,
    CancelPledge,
    Pledgee,
    RegisterPledge,
    SubmitPledge,
)
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
    body: schemas.PledgeCreate, principal: Pledgor, uow: UnitOfWorkDep, adapters: AdaptersDep
) -> schemas.PledgePublic:
    """The patentee (pledgor) applies to pledge one or several patents to a bank. The
    application is checked against every refusal rule of the registration office, each
    with its own problem `type`: pledgor not the registered patentee, patent not valid,
    fees unpaid, suspension or preservation, debt term past expiry, forfeiture clause,
    missing co-owner consent, patent already pledged; and the pledgee bank's own rule,
    `pledge-remaining-term-too-short`, when the bank has a policy. Publishes
    `cn.ipmarket.pledge.pledge.submitted.v1`; the bank's topic is created the first time
    the bank is seen."""
    command = ApplyForPledge(
        application_numbers=tuple(body.application_numbers),
        pledgee=Pledgee(body.pledgee.org_id, body.pledgee.name, body.pledgee.uscc),
        secured_amount=body.secured_amount.amount,
        currency=body.secured_amount.currency,
        debt_term_end=body.debt_term_end,
        has_forfeiture_clause=body.has_forfeiture_clause,
        co_owner_consents=tuple(body.co_owner_consents),
        submit=body.submit,
    )
    pledge = await service.apply(uow, principal, command, adapters.bank_topics)
    await uow.commit()
    return pledge_public(pledge)


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
    consent to the open licence. A patent whose transfer both parties signed, not yet
    recorded, is refused as `pledge-patent-being-transferred` until its deal fails or
    is recorded (then the new owner pledges it)."""
    command = RegisterPledge(pledge_id, body.registration_number, body.registered_on)
    pledge = await service.register(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


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
    command = CancelPledge(pledge_id, body.reason, body.cancelled_on)
    pledge = await service.cancel(uow, principal, command)
    await uow.commit()
    return pledge_public(pledge)


def _submission(pledge_id: str, body: schemas.ResubmissionIn) -> SubmitPledge:
    return SubmitPledge(
        pledge_id=pledge_id,
        secured_amount=body.secured_amount.amount if body.secured_amount is not None else None,
        debt_term_end=body.debt_term_end,
        co_owner_consents=(
            tuple(body.co_owner_consents) if body.co_owner_consents is not None else None
        ),
    )


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
    adapters: AdaptersDep,
) -> schemas.PledgePublic:
    """draft -> submitted, with any amendments, after every pre-check rule and the bank's
    own rule; publishes `cn.ipmarket.pledge.pledge.submitted.v1`. From now on the bank
    sees the application."""
    command = _submission(pledge_id, body)
    pledge = await service.submit(uow, principal, command, adapters.bank_topics)
    await uow.commit()
    return pledge_public(pledge)


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
    adapters: AdaptersDep,
) -> schemas.PledgePublic:
    """correction_requested -> submitted, after every pre-check rule ran again on the
    corrected terms; publishes `cn.ipmarket.pledge.pledge.submitted.v1` with
    `resubmission: true`."""
    # One use case: the pledge's state tells a submission from a resubmission.
    return await submit(pledge_id, body, principal, uow, adapters)


@router.get("/pledges/{pledge_id}", response_model=schemas.PledgePublic, summary="Get a pledge")
async def get(pledge_id: PledgeId, principal: Caller, uow: UnitOfWorkDep) -> schemas.PledgePublic:
    """Visible to its pledgor, its pledgee bank (once submitted) and the operator. Anyone
    else, another bank included, gets 404 `not-found` exactly as for an id that does not
    exist: whether a pledge exists is the parties' business."""
    return pledge_public(await service.get(uow, principal, pledge_id))


@router.get("/pledges", response_model=Page[schemas.PledgePublic], summary="List pledges")
async def list_pledges(
    page: PageDep, principal: Caller, uow: UnitOfWorkDep
) -> Page[schemas.PledgePublic]:
    """Newest first. A bank sees the pledges where it is the pledgee, a pledgor its own,
    the operator all."""
    after = page.after(TimeIdPosition)
    pledges = await service.list_pledges(
        uow, principal, limit=page.limit, after=after.key if after else None
    )
    cursor = None
    if len(pledges) == page.limit:
        cursor = TimeIdPosition(t=pledges[-1].created_at, id=pledges[-1].id).cursor()
    return Page(items=[pledge_public(p) for p in pledges], next_cursor=cursor)


def pledge_public(pledge: Pledge) -> schemas.PledgePublic:
    """The pledge as every endpoint that acts on one returns it."""
    return schemas.PledgePublic(
        id=pledge.id,
        status=pledge.status,
        application_numbers=pledge.application_numbers,
        pledgor=schemas.OrgOut(
            org_id=pledge.pledgor_org_id, name=pledge.pledgor_name, uscc=pledge.pledgor_uscc
        ),
        pledgee=schemas.OrgOut(
            org_id=pledge.pledgee_org_id, name=pledge.pledgee_name, uscc=pledge.pledgee_uscc
        ),
        secured_amount=money(pledge.secured_amount, pledge.currency),
        debt_term_end=pledge.debt_term_end,
        registration_number=pledge.registration_number,
        registered_on=pledge.registered_on,
        cancelled_on=pledge.cancelled_on,
        cancellation_reason=pledge.cancellation_reason,
        approved_on=pledge.approved_on,
        refusal_reason=pledge.refusal_reason,
        correction_reason=pledge.correction_reason,
        disbursed=money_or_none(pledge.disbursed_amount, pledge.currency),
        disbursed_on=pledge.disbursed_on,
        outstanding=money_or_none(pledge.outstanding_amount, pledge.currency),
        overdue_since=pledge.overdue_since,
        defaulted_on=pledge.defaulted_on,
        disposal_method=pledge.disposal_method.value if pledge.disposal_method else None,
        realised_on=pledge.realised_on,
        realisation_proceeds=money_or_none(pledge.realisation_proceeds, pledge.currency),
        created_at=pledge.created_at,
    )
