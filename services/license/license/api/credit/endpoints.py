"""Credit record endpoints (信用监管): thin — parse, build the command, call the service,
shape the response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, status

from license.api.credit import examples, schemas
from license.api.deps import CalendarDep, Caller, Writer
from license.api.schemas import saved_position
from license.credit import service
from license.credit.commands import (
    ConfirmCandidate,
    DecideObjection,
    DismissCandidate,
    FileObjection,
    ListCreditRecords,
    RecordCredit,
    RevokeCredit,
)
from license.credit.service import CreditRecordView
from license.domain.credit import CreditKind, CreditRecord, CreditState, Objection
from shared.domain.calendar import WorkingDayCalendar
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import UsccStr

router = APIRouter(route_class=StrictRoute)
RecordId = Annotated[str, Path(max_length=36)]
ObjectionId = Annotated[str, Path(max_length=36)]


@router.post(
    "/credit-records",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.CreditRecordPublic,
    tags=["credit"],
    summary="记录失信行为 The regulator records dishonest conduct",
)
async def record(
    body: Annotated[schemas.CreditRecordCreate, Body(openapi_examples=examples.RECORD)],
    principal: Writer,
    uow: UnitOfWorkDep,
    calendar: CalendarDep,
) -> schemas.CreditRecordPublic:
    """知识产权管理部门记录当事人的失信行为（知识产权信用管理规定），附证据与限制期限，记录即生效。

    The regulator records a party's dishonest conduct: the party by its USCC, the `kind`
    (`false_materials`, `royalty_unpaid_after_notice`, `settlement_not_performed`,
    `abnormal_patent_application`, `penalty_not_executed`, `dishonest_judgment_debtor`,
    `false_credit_commitment`, `other` with `facts`), at least one evidence document
    (upload it first with `POST /v1/documents`) and the restriction `period`
    (`from` no later than today, `until` 1 to 36 months on). The record is in force at
    once: `CreditRestrictionImposed` is published and listing restricts the party.
    Regulator only (403 `regulator-only`); 422 `credit-evidence-required`,
    `credit-period-out-of-bounds`, `credit-facts-required`, `document-unknown`."""
    command = RecordCredit(
        party_uscc=body.party.uscc,
        party_name=body.party.name,
        kind=body.kind,
        evidence=tuple(body.evidence),
        facts=body.facts,
        period_from=body.period.start,
        period_until=body.period.end,
        license_id=body.license_id,
    )
    created = await service.record_credit(uow, principal, command)
    await uow.commit()
    return _public(CreditRecordView(created, []), calendar)


@router.get(
    "/credit-records",
    response_model=Page[schemas.CreditRecordPublic],
    tags=["credit"],
    summary="信用记录列表 Credit records",
)
async def list_records(
    page: PageDep,
    principal: Caller,
    uow: UnitOfWorkDep,
    calendar: CalendarDep,
    party_uscc: Annotated[UsccStr | None, Query()] = None,
    state: Annotated[CreditState | None, Query()] = None,
    kind: Annotated[CreditKind | None, Query()] = None,
) -> Page[schemas.CreditRecordPublic]:
    """当事人查看自己的信用记录；监管部门与平台运营方查看全部，可按状态（如 `candidate`
    待审核的候选记录）、类型、当事人筛选。

    Newest first. A party sees the records naming its USCC (not candidates or dismissed
    ones); the regulator and the operator see every record and may filter by
    `party_uscc`, `state` (`candidate` is the review queue of late royalty reports and
    payments) and `kind`."""
    after = page.after(TimeIdPosition)
    query = ListCreditRecords(
        limit=page.limit,
        after=after.key if after else None,
        party_uscc=party_uscc,
        state=state,
        kind=kind,
    )
    records = await service.list_credit_records(uow, principal, query)
    items = [_public(CreditRecordView(r, []), calendar) for r in records]
    return Page(items=items, next_cursor=page.next_cursor(records, saved_position))


@router.get(
    "/credit-records/{record_id}",
    response_model=schemas.CreditRecordPublic,
    tags=["credit"],
    summary="信用记录详情 A credit record with its history and objections",
)
async def get_record(
    record_id: RecordId, principal: Caller, uow: UnitOfWorkDep, calendar: CalendarDep
) -> schemas.CreditRecordPublic:
    """查看一条信用记录、其全部变更历史与异议。

    The record, every change to it (who, when, what, the state after) and its
    objections. Seen by its party, the regulator and the operator; anyone else gets 404."""
    return _public(await service.get_credit_record(uow, principal, record_id), calendar)


@router.post(
    "/credit-records/{record_id}/confirmation",
    response_model=schemas.CreditRecordPublic,
    tags=["credit"],
    summary="确认候选记录 The regulator confirms a candidate record",
)
async def confirm(
    record_id: RecordId,
    body: Annotated[schemas.CandidateConfirm, Body(openapi_examples=examples.CONFIRM)],
    principal: Writer,
    uow: UnitOfWorkDep,
    calendar: CalendarDep,
) -> schemas.CreditRecordPublic:
    """监管部门审核违约记录转来的候选记录：附证据与期限确认后生效。

    A candidate (from a late royalty report or payment) becomes a record in force with
    evidence and a period; `CreditRestrictionImposed` is published. Regulator only;
    409 `credit-record-state` unless the record is a candidate."""
    command = ConfirmCandidate(
        record_id=record_id,
        evidence=tuple(body.evidence),
        facts=body.facts,
        period_from=body.period.start,
        period_until=body.period.end,
    )
    confirmed = await service.confirm_candidate(uow, principal, command)
    await uow.commit()
    return _public(CreditRecordView(confirmed, []), calendar)


@router.post(
    "/credit-records/{record_id}/dismissal",
    response_model=schemas.CreditRecordPublic,
    tags=["credit"],
    summary="驳回候选记录 The regulator dismisses a candidate record",
)
async def dismiss(
    record_id: RecordId,
    body: Annotated[schemas.ReasonIn, Body(openapi_examples=examples.REASON)],
    principal: Writer,
    uow: UnitOfWorkDep,
    calendar: CalendarDep,
) -> schemas.CreditRecordPublic:
    """监管部门不予认定候选记录，写明理由。

    The candidate is dismissed with a reason; it never restricted anyone. Regulator only."""
    dismissed = await service.dismiss_candidate(
        uow, principal, DismissCandidate(record_id, body.reason)
    )
    await uow.commit()
    return _public(CreditRecordView(dismissed, []), calendar)


@router.post(
    "/credit-records/{record_id}/revocation",
    response_model=schemas.CreditRecordPublic,
    tags=["credit"],
    summary="撤销信用记录 The regulator revokes a record",
)
async def revoke(
    record_id: RecordId,
    body: Annotated[schemas.ReasonIn, Body(openapi_examples=examples.REASON)],
    principal: Writer,
    uow: UnitOfWorkDep,
    calendar: CalendarDep,
) -> schemas.CreditRecordPublic:
    """监管部门撤销生效中的信用记录，限制随即解除。

    A record in force is revoked with a reason; `CreditRestrictionLifted` (`revoked`) is
    published. Regulator only."""
    revoked = await service.revoke_credit(uow, principal, RevokeCredit(record_id, body.reason))
    await uow.commit()
    return _public(CreditRecordView(revoked, []), calendar)


@router.post(
    "/credit-records/{record_id}/objections",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ObjectionPublic,
    tags=["credit"],
    summary="提出异议 The party objects to its record",
)
async def object_to(
    record_id: RecordId,
    body: Annotated[schemas.ObjectionCreate, Body(openapi_examples=examples.OBJECTION)],
    principal: Writer,
    uow: UnitOfWorkDep,
    calendar: CalendarDep,
) -> schemas.ObjectionPublic:
    """当事人在记录生效之日起15个工作日内提出异议，可附证据；监管部门在10个工作日内作出决定。

    The party named by the record objects with its grounds (and documents it uploaded)
    within 15 working days of the record taking effect; one objection pending at a
    time. The answer carries `decide_by`, the regulator's deadline (10 working days).
    A window or a deadline reaching a year the working-day calendar does not cover yet
    is pending (`objection_window_closes` / `decide_by` null, `..._awaits_year` naming
    the year): the window stays open and the deadline is counted once the operator adds
    the year.
    422 `credit-objection-window-closed`; 409 `credit-objection-pending`,
    `credit-record-state`; a stranger gets 404."""
    objection = await service.file_objection(
        uow, principal, FileObjection(record_id, body.grounds, tuple(body.evidence)), calendar
    )
    await uow.commit()
    return _objection(objection, calendar)


@router.post(
    "/credit-records/{record_id}/objections/{objection_id}/decision",
    response_model=schemas.CreditRecordPublic,
    tags=["credit"],
    summary="异议决定 The regulator decides an objection",
)
async def decide(
    record_id: RecordId,
    objection_id: ObjectionId,
    body: Annotated[schemas.DecisionIn, Body(openapi_examples=examples.DECISION)],
    principal: Writer,
    uow: UnitOfWorkDep,
    calendar: CalendarDep,
) -> schemas.CreditRecordPublic:
    """监管部门对异议作出决定：异议成立则撤销记录并解除限制。

    `upheld: true` revokes the record and publishes `CreditRestrictionLifted`
    (`objection_upheld`); `false` keeps it in force. Regulator only; 409
    `credit-objection-decided`."""
    command = DecideObjection(record_id, objection_id, body.upheld, body.reason)
    view = await service.decide_objection(uow, principal, command)
    await uow.commit()
    return _public(view, calendar)


def _objection(objection: Objection, calendar: WorkingDayCalendar) -> schemas.ObjectionPublic:
    due = objection.decision_due(calendar)
    return schemas.ObjectionPublic(
        id=objection.id,
        grounds=objection.grounds,
        evidence=list(objection.evidence),
        filed_by_org_id=objection.filed_by_org_id,
        filed_at=objection.filed_at,
        decide_by=due.day,
        decide_by_awaits_year=due.awaits_year,
        upheld=objection.upheld,
        reason=objection.reason,
        decided_at=objection.decided_at,
    )


def _public(view: CreditRecordView, calendar: WorkingDayCalendar) -> schemas.CreditRecordPublic:
    r: CreditRecord = view.record
    window = r.objection_window(calendar)
    return schemas.CreditRecordPublic(
        id=r.id,
        party=schemas.PartyPublic(uscc=r.party.uscc, name=r.party.name),
        kind=r.kind,
        state=r.state,
        facts=r.facts,
        evidence=list(r.evidence),
        period=schemas.PeriodPublic(start=r.period.start, end=r.period.end) if r.period else None,
        license_id=r.license_id,
        breach_id=r.breach_id,
        effective_on=r.effective_on,
        objection_window_closes=window.day if window else None,
        objection_window_awaits_year=window.awaits_year if window else None,
        created_at=r.created_at,
        ended_at=r.ended_at,
        history=[schemas.ChangePublic.model_validate(c, from_attributes=True) for c in r.history],
        objections=[_objection(o, calendar) for o in view.objections],
    )
