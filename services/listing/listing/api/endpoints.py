"""Listing endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from listing import history_service, service
from listing.api import schemas
from listing.api.deps import Caller, Operator, Patentee, PatenteeOrOperator
from listing.domain import timeline as timeline_rules
from listing.domain.declaration import DeclarationStatus
from listing.models import DeclarationRecord, DeclarationTermsRecord, PatentRecord
from shared.domain import ApplicationNumber
from shared.http.dependencies import GenericReadPoolDep, PageDep, UnitOfWorkDep
from shared.http.pagination import Page, Position, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr

router = APIRouter(route_class=StrictRoute)


class NumberPosition(Position):
    """After the patent with this application number (the catalogue's order)."""

    n: ApplicationNumberStr


NumberPath = Annotated[
    ApplicationNumberStr,
    Path(description="Application number, any common form (CN/ZL prefix, dot optional)."),
]


@router.post(
    "/patents",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PatentPublic,
    tags=["patents"],
    summary="Register a patent in the catalogue",
)
async def register_patent(
    body: schemas.PatentCreate, principal: PatenteeOrOperator, uow: UnitOfWorkDep
) -> schemas.PatentPublic:
    """Enter a patent into the catalogue; publishes `cn.ipmarket.listing.patent.registered.v1`.

    The application number is validated with its check digit and stored normalised
    (`201710601862.3`); the patent type follows from it and the expiry date from the type
    and filing date. A patentee may register its own patents (its token's USCC must be
    among the patentees); the operator may register any.
    """
    record = await service.register_patent(uow, principal, body)
    await uow.commit()
    return _patent_public(record)


@router.get(
    "/patents",
    response_model=Page[schemas.PatentPublic],
    tags=["patents"],
    summary="List catalogued patents",
)
async def list_patents(page: PageDep, uow: UnitOfWorkDep, _: Caller) -> Page[schemas.PatentPublic]:
    """Patents in application-number order, one page at a time."""
    after = page.after(NumberPosition)
    records = await service.list_patents(uow, page.limit, after.n if after else None)
    items = [_patent_public(r) for r in records]
    cursor = (
        NumberPosition(n=records[-1].application_number).cursor()
        if len(records) == page.limit
        else None
    )
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/patents/{application_number}",
    response_model=schemas.PatentPublic,
    tags=["patents"],
    summary="Get one patent",
)
async def get_patent(
    application_number: NumberPath, pool: GenericReadPoolDep, _: Caller
) -> Response:
    """One patent by application number (`CN201710601862.3`, `2017106018623` also work)."""
    # PostgreSQL writes the published JSON (repository.PUBLIC_COLUMNS): no decoding,
    # validating and encoding of the row again here.
    return Response(
        await service.get_patent(pool, application_number), media_type="application/json"
    )


@router.get(
    "/patents/{application_number}/encumbrances",
    response_model=schemas.EncumbranceList,
    tags=["patents"],
    summary="Pledges and exclusive licences in force on a patent",
)
async def list_encumbrances(
    application_number: NumberPath, uow: UnitOfWorkDep, _: Caller
) -> schemas.EncumbranceList:
    """What blocks an open-licence declaration: registered pledges (with whether the
    pledgee consented to an open licence) and exclusive or sole licences in force, as
    listing learned them from the pledge and license services' events."""
    records = await service.list_encumbrances(uow, application_number)
    return schemas.EncumbranceList(
        items=[schemas.EncumbrancePublic.model_validate(r, from_attributes=True) for r in records]
    )


@router.post(
    "/patents/{application_number}/transfers",
    response_model=schemas.PatentPublic,
    tags=["patents"],
    summary="Record a transfer registered by the office (operator)",
)
async def record_transfer(
    application_number: NumberPath, body: schemas.TransferIn, _: Operator, uow: UnitOfWorkDep
) -> schemas.PatentPublic:
    """The only way a patent changes owner: publishes
    `cn.ipmarket.listing.patent.owner_changed.v1`. A pledged patent is transferred only
    with the pledgee's recorded consent to this transferee (`transfer-pledged-without-consent`)."""
    record = await service.record_transfer(
        uow, ApplicationNumber.parse(application_number).value, body
    )
    await uow.commit()
    return _patent_public(record)


@router.get(
    "/patents/{application_number}/timeline",
    response_model=Page[schemas.TimelineEntry],
    tags=["patents"],
    summary="A patent's history across every service (due diligence)",
)
async def timeline(
    application_number: NumberPath, page: PageDep, principal: Caller, uow: UnitOfWorkDep
) -> Page[schemas.TimelineEntry]:
    """Every event about the patent, oldest first: catalogue and status changes,
    transfers, declarations, licences, pledges and contract registrations. Pledge details
    are shown to the patentees, banks and the operator; others see that they happened."""
    after = page.after(TimeIdPosition)
    entries, party = await history_service.history(
        uow,
        principal,
        ApplicationNumber.parse(application_number).value,
        page.limit,
        after.key if after else None,
    )
    cursor = None
    if len(entries) == page.limit:
        last = entries[-1]
        cursor = TimeIdPosition(t=last.occurred_at, id=last.event_id).cursor()
    return Page(
        items=[
            schemas.TimelineEntry(
                event_id=e.event_id,
                event_type=e.event_type,
                label=timeline_rules.label(e.event_type),
                source=e.source,
                occurred_at=e.occurred_at,
                actor=e.actor,
                data=e.data if timeline_rules.shows_data(e.event_type, party=party) else None,
            )
            for e in entries
        ],
        next_cursor=cursor,
    )


@router.patch(
    "/patents/{application_number}/status",
    response_model=schemas.PatentPublic,
    tags=["patents"],
    summary="Record register facts: legal status, fees, suspension (operator)",
)
async def update_patent_status(
    application_number: NumberPath,
    body: schemas.PatentStatusUpdate,
    _: Operator,
    uow: UnitOfWorkDep,
) -> schemas.PatentPublic:
    """Set facts that come from the official register; publishes
    `cn.ipmarket.listing.patent.status_changed.v1`. Operator only."""
    record = await service.update_patent_status(uow, application_number, body)
    await uow.commit()
    return _patent_public(record)


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
    declaration, terms = await service.create_declaration(uow, principal, body)
    await uow.commit()
    return _declaration_public(declaration, terms)


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
    declaration, terms = await service.submit_declaration(uow, principal, declaration_id)
    await uow.commit()
    return _declaration_public(declaration, terms)


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
    declaration, terms = await service.change_terms(uow, principal, declaration_id, body)
    await uow.commit()
    return _declaration_public(declaration, terms)


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
    declaration, terms = await service.request_withdrawal(
        uow, principal, declaration_id, body.reason
    )
    await uow.commit()
    return _declaration_public(declaration, terms)


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
    declaration, terms = await service.announce_withdrawal(uow, declaration_id)
    await uow.commit()
    return _declaration_public(declaration, terms)


@router.get(
    "/declarations/{declaration_id}",
    response_model=schemas.DeclarationPublic,
    tags=["declarations"],
    summary="Get one declaration",
)
async def get_declaration(
    declaration_id: Annotated[str, Path(max_length=36)], uow: UnitOfWorkDep, _: Caller
) -> schemas.DeclarationPublic:
    return _declaration_public(*await service.get_declaration(uow, declaration_id))


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
    rows = await service.list_declarations(
        uow,
        limit=page.limit,
        after=after.key if after else None,
        status=status_filter,
        application_number=(
            ApplicationNumber.parse(application_number).value if application_number else None
        ),
    )
    cursor = None
    if len(rows) == page.limit:
        last = rows[-1][0]
        cursor = TimeIdPosition(t=last.created_at, id=last.id).cursor()
    return Page(items=[_declaration_public(d, t) for d, t in rows], next_cursor=cursor)


def _patent_public(record: PatentRecord) -> schemas.PatentPublic:
    return schemas.PatentPublic.model_validate(record, from_attributes=True)


def _declaration_public(
    record: DeclarationRecord, terms: DeclarationTermsRecord
) -> schemas.DeclarationPublic:
    return schemas.DeclarationPublic(
        id=record.id,
        application_number=record.application_number,
        status=DeclarationStatus(record.status),
        declarant_org_id=record.declarant_org_id,
        terms_version=terms.version,
        terms=schemas.TermsOut.model_validate(terms.terms),
        description=record.description,
        contact=record.contact,
        created_at=record.created_at,
        announced_at=record.announced_at,
        evidence=list(record.evidence_document_ids),
        withdrawal_requested_at=record.withdrawal_requested_at,
        withdrawn_at=record.withdrawn_at,
        ended_at=record.ended_at,
        status_reason=record.status_reason,
    )
