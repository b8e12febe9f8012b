"""Declaration endpoints: thin — parse, call the use case, shape the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from listing.api.declarations import schemas
from listing.api.deps import Caller, Operator, Patentee
from listing.declarations import service
from listing.declarations.commands import (
    AnnounceWithdrawal,
    ChangeTerms,
    RequestWithdrawal,
    SubmitDeclaration,
)
from listing.domain.declaration import DeclarationStatus
from shared.domain import ApplicationNumber
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr

router = APIRouter(route_class=StrictRoute)


@router.post(
    "/declarations",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DeclarationPublic,
    tags=["declarations"],
    summary="Draft an open-licence declaration (开放许可声明)",
)
async def create_declaration(
    body: schemas.DeclarationCreate, principal: Patentee, uow: UnitOfWorkDep
) -> schemas.DeclarationPublic:
    """Create a draft declaration with its first terms version. Only a patentee of the
    patent may draft one. Terms are checked now (caps, term length, expiry); the
    encumbrance rules are checked when the draft is submitted.

    A running royalty (`running_royalty`, `entry_fee_plus_royalty`) should declare its
    `royalty_schedule`: the reporting period (annual, semiannual, quarterly, monthly) and
    when each period's report and payment are due, `due_days_after_period` days after it
    ends or, for annual periods, on `annual_due` (MM-DD) of the following year. Every
    licensee gets exactly these periods and due dates; `payment_schedule` stays the
    patentee's description in words (e.g. 每年3月31日前按上一年度净销售额支付). Terms
    without a `royalty_schedule` leave the license service to read the periods from that
    text, and it labels them as inferred.

    Refusals: 422 `declaration-royalty-schedule-invalid` when the schedule has no due
    rule, both, `annual_due` on a non-annual period or a day that is not in every year
    (02-29, 04-31); `field` names the schedule's field. 422
    `declaration-terms-incomplete` for a `royalty_schedule` on lump_sum or free terms.
    422 `validation-error` for an unknown period, `due_days_after_period` outside 1-180 or
    `annual_due` not written MM-DD."""
    declaration = await service.create_declaration(uow, principal, body.to_command())
    await uow.commit()
    return schemas.DeclarationPublic.of(declaration)


@router.post(
    "/declarations/{declaration_id}/submit",
    response_model=schemas.DeclarationPublic,
    tags=["declarations"],
    summary="Submit a draft: check every rule and announce it",
)
async def submit_declaration(
    declaration_id: Annotated[str, Path(max_length=36)], principal: Patentee, uow: UnitOfWorkDep
) -> schemas.DeclarationPublic:
    """Checks every refusal rule of Patent Law Art. 50-52 (each refusal has its own
    problem `type`), then announces the declaration and publishes
    `cn.ipmarket.listing.declaration.published.v1` to every connected platform."""
    declaration = await service.submit_declaration(
        uow, principal, SubmitDeclaration(declaration_id)
    )
    await uow.commit()
    return schemas.DeclarationPublic.of(declaration)


@router.put(
    "/declarations/{declaration_id}/terms",
    response_model=schemas.DeclarationPublic,
    tags=["declarations"],
    summary="Change the terms (a new immutable terms version)",
)
async def change_terms(
    declaration_id: Annotated[str, Path(max_length=36)],
    body: schemas.TermsIn,
    principal: Patentee,
    uow: UnitOfWorkDep,
) -> schemas.DeclarationPublic:
    """Adds the next terms version, checked like the first (caps, term, expiry,
    `royalty_schedule`). On a declaration in force the new version is announced at once
    and applies to licences taken from then on; licences already taken keep the version
    they took, with its royalty schedule."""
    command = ChangeTerms(declaration_id, body.to_terms())
    declaration = await service.change_terms(uow, principal, command)
    await uow.commit()
    return schemas.DeclarationPublic.of(declaration)


@router.post(
    "/declarations/{declaration_id}/withdrawal",
    response_model=schemas.DeclarationPublic,
    tags=["declarations"],
    summary="Request the withdrawal of an announced declaration (撤回开放许可声明)",
)
async def request_withdrawal(
    declaration_id: Annotated[str, Path(max_length=36)],
    body: schemas.WithdrawalIn,
    principal: Patentee,
    uow: UnitOfWorkDep,
) -> schemas.DeclarationPublic:
    """The patentee's written request (Patent Law Art. 51). The declaration stays in force
    — licences may still be taken — until the office announces the withdrawal."""
    command = RequestWithdrawal(declaration_id, body.reason)
    declaration = await service.request_withdrawal(uow, principal, command)
    await uow.commit()
    return schemas.DeclarationPublic.of(declaration)


@router.post(
    "/declarations/{declaration_id}/withdrawal/announcement",
    response_model=schemas.DeclarationPublic,
    tags=["declarations"],
    summary="Record the office's announcement of a withdrawal (operator)",
)
async def announce_withdrawal(
    declaration_id: Annotated[str, Path(max_length=36)], _: Operator, uow: UnitOfWorkDep
) -> schemas.DeclarationPublic:
    """The withdrawal takes effect: `cn.ipmarket.listing.declaration.withdrawn.v1`. No new
    licence can be taken; licences granted before keep their effect."""
    declaration = await service.announce_withdrawal(uow, AnnounceWithdrawal(declaration_id))
    await uow.commit()
    return schemas.DeclarationPublic.of(declaration)


@router.get(
    "/declarations/{declaration_id}",
    response_model=schemas.DeclarationPublic,
    tags=["declarations"],
    summary="Get one declaration",
)
async def get_declaration(
    declaration_id: Annotated[str, Path(max_length=36)], uow: UnitOfWorkDep, _: Caller
) -> schemas.DeclarationPublic:
    return schemas.DeclarationPublic.of(await service.get_declaration(uow, declaration_id))


@router.get(
    "/declarations",
    response_model=Page[schemas.DeclarationPublic],
    tags=["declarations"],
    summary="List declarations, newest first",
)
async def list_declarations(
    page: PageDep,
    uow: UnitOfWorkDep,
    _: Caller,
    status_filter: Annotated[DeclarationStatus | None, Query(alias="status")] = None,
    application_number: Annotated[ApplicationNumberStr | None, Query()] = None,
) -> Page[schemas.DeclarationPublic]:
    after = page.after(TimeIdPosition)
    declarations = await service.list_declarations(
        uow,
        limit=page.limit,
        after=after.key if after else None,
        status=status_filter,
        application_number=(
            ApplicationNumber.parse(application_number).value if application_number else None
        ),
    )
    cursor = None
    if len(declarations) == page.limit:
        last = declarations[-1]
        assert last.created_at is not None
        cursor = TimeIdPosition(t=last.created_at, id=last.id).cursor()
    return Page(items=[schemas.DeclarationPublic.of(d) for d in declarations], next_cursor=cursor)
