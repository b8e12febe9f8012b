"""Pledge endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, status

from pledge import service
from pledge.api import schemas
from pledge.api.deps import BankOrOperator, Caller, Pledgor
from pledge.domain.pledge import CancellationReason, PledgeStatus
from pledge.models import PledgeRecord
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, encode_cursor

router = APIRouter(tags=["pledges"])
PledgeId = Annotated[str, Path(max_length=36)]


@router.post(
    "/pledges",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PledgePublic,
    summary="Apply to register a pledge (专利权质押登记)",
)
async def apply(
    body: schemas.PledgeCreate, principal: Pledgor, uow: UnitOfWorkDep
) -> schemas.PledgePublic:
    """The patentee (pledgor) applies to pledge one or several patents to a bank. The
    application is checked against every refusal rule of the registration office, each
    with its own problem `type`: pledgor not the registered patentee, patent not valid,
    fees unpaid, suspension or preservation, debt term past expiry, forfeiture clause,
    missing co-owner consent, patent already pledged."""
    pledge = await service.apply(uow, principal, body)
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
    """Records the registration number from the office's certificate; publishes
    `cn.ipmarket.pledge.pledge.registered.v1`. Of two pledges racing for one patent,
    exactly one is registered; the other is refused as `pledge-already-pledged`."""
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
    """Cancellation after repayment, waiver or a void main contract; publishes
    `cn.ipmarket.pledge.pledge.cancelled.v1`."""
    pledge = await service.cancel(uow, principal, pledge_id, body)
    await uow.commit()
    return _public(pledge)


@router.get("/pledges/{pledge_id}", response_model=schemas.PledgePublic, summary="Get a pledge")
async def get(pledge_id: PledgeId, principal: Caller, uow: UnitOfWorkDep) -> schemas.PledgePublic:
    """Visible to its pledgor, its pledgee bank and the operator."""
    return _public(await service.get(uow, principal, pledge_id))


@router.get("/pledges", response_model=Page[schemas.PledgePublic], summary="List pledges")
async def list_pledges(
    page: PageDep, principal: Caller, uow: UnitOfWorkDep
) -> Page[schemas.PledgePublic]:
    """Newest first. A bank sees the pledges where it is the pledgee, a pledgor its own,
    the operator all."""
    after = None
    if page.cursor:
        after = (datetime.fromisoformat(page.cursor["t"]), str(page.cursor["id"]))
    records = await service.list_pledges(uow, principal, limit=page.limit, after=after)
    cursor = None
    if len(records) == page.limit:
        cursor = encode_cursor({"t": records[-1].created_at.isoformat(), "id": records[-1].id})
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
        created_at=pledge.created_at,
    )
