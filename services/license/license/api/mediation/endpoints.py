"""Mediation endpoints (专利纠纷调解): thin — parse, build the command, call the service,
shape the response."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, status

from license.api.deps import CalendarDep, Caller, Licensee, MediatorCaller
from license.api.mediation import examples, schemas
from license.api.schemas import saved_position
from license.domain.dispute import MediationStatus
from license.mediation import service
from license.mediation.commands import (
    AcceptMediation,
    AnswerMediation,
    CloseAsSettled,
    ExtendMediation,
    HoldSession,
    ListMediationCases,
    RecordProceeding,
    RecordSettlement,
    RefuseMediation,
    RequestMediation,
    SignSettlement,
    TerminateMediation,
    WithdrawMediation,
)
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute, tags=["mediation"])

CaseIdPath = Annotated[str, Path(max_length=36, description="Id of the mediation case.")]


@router.post(
    "/mediation-cases",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.MediationCasePublic,
    summary="申请调解 Ask a mediation organisation to mediate a licence dispute",
)
async def request_mediation(
    body: Annotated[schemas.MediationCaseCreate, Body(openapi_examples=examples.MEDIATION_REQUEST)],
    principal: Licensee,
    uow: UnitOfWorkDep,
    calendar: CalendarDep,
) -> schemas.MediationCasePublic:
    """许可合同的当事人（被许可人或许可人）就许可纠纷向调解组织申请调解：写明许可编号、调解组织、
    调解请求及理由、纠纷发生日期，以及已知的诉讼、仲裁或处理决定。已终止或到期的许可，就其期限内
    发生的纠纷仍可申请。调解组织应在收到请求之日起 5 个工作日内决定是否受理。

    A party to the licence (its licensee, or one of its licensors) asks the named
    mediation organisation to mediate. The acceptance deadline is the 5th working day
    after today (today not counted; the official calendar, adjusted working weekends
    included); in a year the working-day calendar does not cover yet, the request
    stands with `acceptance_deadline` null and `acceptance_deadline_pending` naming the
    year, counted once the operator adds it. The other party answers (`POST .../response`).
    `cn.ipmarket.license.mediation.requested.v1` is published (never the claims).

    Refusals: 404 `not-found` for a licence the caller is not party to (or that does
    not exist); 422 `mediation-license-not-in-effect` for a licence that never took
    effect; 422 `mediation-dispute-outside-license-term` when `dispute_arose_on` lies
    outside the licence's effective date and end; 422
    `mediation-dispute-date-in-future`."""
    command = RequestMediation(
        license_id=body.license_id,
        mediator_org_id=body.mediator.org_id,
        mediator_name=body.mediator.name,
        claims=body.claims,
        dispute_arose_on=body.dispute_arose_on,
        known_proceedings=tuple(body.other_proceedings),
    )
    case = await service.request_mediation(uow, principal, command, calendar)
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.get(
    "/mediation-cases",
    response_model=Page[schemas.MediationCasePublic],
    summary="调解案件列表 List the mediation cases the caller may read, newest first",
)
async def list_cases(
    page: PageDep,
    principal: Caller,
    uow: UnitOfWorkDep,
    license_id: Annotated[str | None, Query(max_length=36)] = None,
    status_filter: Annotated[MediationStatus | None, Query(alias="status")] = None,
) -> Page[schemas.MediationCasePublic]:
    """列出调用方可见的调解案件：调解组织只见本组织的案件，当事人只见自己的案件，平台运营方和
    监管部门可见全部。

    The cases the caller may read: a mediation organisation its own, a party those on
    its licences, the operator and the regulator all. Filter by `license_id` or
    `status`; pass `next_cursor` back as `cursor` for the next page."""
    after = page.after(TimeIdPosition)
    query = ListMediationCases(
        limit=page.limit,
        after=after.key if after else None,
        license_id=license_id,
        status=status_filter,
    )
    found = await service.list_cases(uow, principal, query)
    items = [schemas.MediationCasePublic.of(c) for c in found]
    return Page(items=items, next_cursor=page.next_cursor(found, saved_position))


@router.get(
    "/mediation-cases/{case_id}",
    response_model=schemas.MediationCasePublic,
    summary="查看调解案件 Get one mediation case with its history",
)
async def get_case(
    case_id: CaseIdPath, principal: Caller, uow: UnitOfWorkDep
) -> schemas.MediationCasePublic:
    """查看调解案件：请求、答复、其他程序、受理或不予受理、调解会议、延期记录、调解协议及签署情况。

    The case with its whole history: the answer, the proceedings recorded, the
    acceptance or refusal, sessions, extensions (each with its reason and the deadline
    it set), the settlement and who signed it. Visible to the mediation organisation
    named in the request, the licence's parties (licensee and licensors), the operator
    and the regulator; anyone else gets 404 `not-found`, exactly as for an id that does
    not exist."""
    return schemas.MediationCasePublic.of(await service.get_case(uow, principal, case_id))


@router.post(
    "/mediation-cases/{case_id}/response",
    response_model=schemas.MediationCasePublic,
    summary="答复调解请求 The other party agrees to mediation or declines it",
)
async def answer(
    case_id: CaseIdPath,
    body: Annotated[
        schemas.MediationResponseCreate, Body(openapi_examples=examples.MEDIATION_RESPONSE)
    ],
    principal: Licensee,
    uow: UnitOfWorkDep,
) -> schemas.MediationCasePublic:
    """另一方当事人答复是否同意调解；不同意的，调解组织应不予受理。

    The other side of the dispute (the licensors when the licensee asked, the licensee
    when a licensor asked) answers once. Declining makes the case one to refuse
    (`reason: other_party_declined`). Refusals: 403 `mediation-not-respondent` for the
    requester's side; 403 `mediation-not-party`; 409 `mediation-already-answered`; 409
    `mediation-invalid-state` once the case was decided."""
    case = await service.answer(uow, principal, AnswerMediation(case_id, body.agrees))
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/proceedings",
    response_model=schemas.MediationCasePublic,
    summary="告知其他程序 Record a lawsuit, an arbitration or a decision on the dispute",
)
async def record_proceeding(
    case_id: CaseIdPath,
    body: Annotated[
        schemas.MediationProceedingCreate, Body(openapi_examples=examples.MEDIATION_PROCEEDING)
    ],
    principal: Licensee,
    uow: UnitOfWorkDep,
) -> schemas.MediationCasePublic:
    """受理前，任一方当事人告知已起诉（或法院已受理）、已申请仲裁或已作出处理决定；调解组织随后
    应不予受理。

    Either party records, before acceptance, that a lawsuit was filed or accepted,
    arbitration applied for, or the dispute decided. The case can then no longer be
    accepted (422 `mediation-proceedings-recorded`) and is refused with the matching
    reason. Refusals: 403 `mediation-not-party`; 409 `mediation-invalid-state` after
    the decision on acceptance."""
    command = RecordProceeding(case_id, body.kind, body.note)
    case = await service.record_proceeding(uow, principal, command)
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/refusal",
    response_model=schemas.MediationCasePublic,
    summary="不予受理 The mediation organisation refuses the case",
)
async def refuse(
    case_id: CaseIdPath,
    body: Annotated[
        schemas.MediationRefusalCreate, Body(openapi_examples=examples.MEDIATION_REFUSAL)
    ],
    principal: MediatorCaller,
    uow: UnitOfWorkDep,
) -> schemas.MediationCasePublic:
    """调解组织决定不予受理，并写明理由代码：另一方不同意、已起诉、已申请仲裁或纠纷已处理。

    The mediator refuses with a reason code the case supports: `other_party_declined`
    needs the other party's refusal, `lawsuit_filed`, `arbitration_applied` and
    `dispute_decided` the matching proceeding (422 `mediation-refusal-reason-unfounded`
    otherwise). `cn.ipmarket.license.mediation.refused.v1` is published. Refusals: 403
    `mediation-not-mediator`; 409 `mediation-invalid-state`."""
    case = await service.refuse(uow, principal, RefuseMediation(case_id, body.reason))
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/acceptance",
    response_model=schemas.MediationCasePublic,
    summary="受理 The mediation organisation accepts the case",
)
async def accept(
    case_id: CaseIdPath, principal: MediatorCaller, uow: UnitOfWorkDep, calendar: CalendarDep
) -> schemas.MediationCasePublic:
    """调解组织受理案件；调解应自受理之日起 30 日内结束，期限末日为休息日的顺延至下一工作日。

    The mediator accepts: the closing deadline is the acceptance day + 30 calendar days,
    moved to the next working day when it falls on a day off. In a year the working-day
    calendar does not cover yet, it is the plain day with `closing_deadline_provisional`
    true (it can only move later), counted once the operator adds the year.
    `cn.ipmarket.license.mediation.accepted.v1` is published. Refusals: 422
    `mediation-respondent-not-agreed` until the other party agreed (or when it
    declined); 422 `mediation-proceedings-recorded` when a lawsuit, arbitration or
    decision is recorded; 403 `mediation-not-mediator`; 409 `mediation-invalid-state`."""
    case = await service.accept(uow, principal, AcceptMediation(case_id), calendar)
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/sessions",
    response_model=schemas.MediationCasePublic,
    summary="调解会议 Record a mediation session",
)
async def hold_session(
    case_id: CaseIdPath,
    body: Annotated[
        schemas.MediationSessionCreate, Body(openapi_examples=examples.MEDIATION_SESSION)
    ],
    principal: MediatorCaller,
    uow: UnitOfWorkDep,
) -> schemas.MediationCasePublic:
    """调解组织记录一次调解会议及其纪要（纪要不公开）。

    The mediator records a session held between the acceptance and today (422
    `mediation-session-date-invalid` otherwise); its summary is read by the case's
    readers and never published. 409 `mediation-invalid-state` unless accepted."""
    command = HoldSession(case_id, body.held_on, body.summary)
    case = await service.hold_session(uow, principal, command)
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/extensions",
    response_model=schemas.MediationCasePublic,
    summary="延长调解期限 Extend the mediation period, with its reason",
)
async def extend(
    case_id: CaseIdPath,
    body: Annotated[
        schemas.MediationExtensionCreate, Body(openapi_examples=examples.MEDIATION_EXTENSION)
    ],
    principal: MediatorCaller,
    uow: UnitOfWorkDep,
    calendar: CalendarDep,
) -> schemas.MediationCasePublic:
    """调解组织延长调解期限，须写明理由；每次延期均保留记录。

    The mediator adds `days` (1 to 30) to the period with a reason; every extension is
    kept with the deadline it set. The new deadline (acceptance + 30 + all extensions,
    rolled to a working day) gets its own reminder and alarm; provisional, as on
    acceptance, while the working-day calendar lacks its year.
    `cn.ipmarket.license.mediation.extended.v1` is published (without the reason). 409
    `mediation-invalid-state` unless accepted."""
    command = ExtendMediation(case_id, body.days, body.reason)
    case = await service.extend(uow, principal, command, calendar)
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/settlement",
    response_model=schemas.MediationCasePublic,
    summary="调解协议 Record the settlement agreement for the parties to sign",
)
async def record_settlement(
    case_id: CaseIdPath,
    body: Annotated[
        schemas.MediationSettlementCreate, Body(openapi_examples=examples.MEDIATION_SETTLEMENT)
    ],
    principal: MediatorCaller,
    uow: UnitOfWorkDep,
) -> schemas.MediationCasePublic:
    """调解组织记录双方达成的调解协议：新的提成比例及其起算日，以及其他约定。协议经双方签署并
    结案后生效。

    The agreed terms: a new royalty rate from `effective_from` (within the licence's
    term: 422 `mediation-settlement-date-outside-term`) and the other terms in words. A
    new agreement replaces one not yet in effect, and its signatures. Refusals: 422
    `mediation-settlement-not-running-royalty` on a licence without a running royalty;
    409 `mediation-invalid-state` unless accepted."""
    command = RecordSettlement(
        case_id, Decimal(body.royalty_rate), body.effective_from, body.other_terms or ""
    )
    case = await service.record_settlement(uow, principal, command)
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/settlement/signatures",
    response_model=schemas.MediationCasePublic,
    summary="签署调解协议 A party signs the settlement agreement",
)
async def sign_settlement(
    case_id: CaseIdPath, principal: Licensee, uow: UnitOfWorkDep
) -> schemas.MediationCasePublic:
    """当事人签署调解协议；每一方签署一次。仅一方签署的协议不生效。

    The caller signs for its side (licensee, or licensors). Refusals: 409
    `mediation-settlement-already-signed` when its side signed; 422
    `mediation-settlement-missing`; 403 `mediation-not-party`."""
    case = await service.sign_settlement(uow, principal, SignSettlement(case_id))
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/closure",
    response_model=schemas.MediationCasePublic,
    summary="调解结案 Close the case on the settlement both parties signed",
)
async def close_as_settled(
    case_id: CaseIdPath, principal: MediatorCaller, uow: UnitOfWorkDep
) -> schemas.MediationCasePublic:
    """调解组织以双方签署的调解协议结案；协议生效，许可自起算日起尚未报告的提成费期间按新比例计算。

    Closes the case as settled and puts the agreement in effect: the licence's royalty
    periods starting on or after `effective_from` that are not yet reported use the new
    rate (the next royalty report computes with it).
    `cn.ipmarket.license.mediation.settled.v1` and
    `cn.ipmarket.license.license.terms_amended.v1` are published. Refusals: 422
    `mediation-settlement-not-signed` naming the side that has not signed; 422
    `mediation-settlement-missing`; 409 `mediation-invalid-state` unless accepted."""
    case = await service.close_as_settled(uow, principal, CloseAsSettled(case_id))
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/termination",
    response_model=schemas.MediationCasePublic,
    summary="终止调解 The mediator ends the mediation without a settlement",
)
async def terminate(
    case_id: CaseIdPath,
    body: Annotated[
        schemas.MediationTerminationCreate, Body(openapi_examples=examples.MEDIATION_TERMINATION)
    ],
    principal: MediatorCaller,
    uow: UnitOfWorkDep,
) -> schemas.MediationCasePublic:
    """调解组织终止调解并写明理由代码（调解不成、一方退出、已起诉或仲裁、期限届满）。

    Ends an accepted case with `reason_code` and an optional note (never published).
    `cn.ipmarket.license.mediation.terminated.v1` is published. Refusals: 422
    `mediation-termination-reason-reserved` for `withdrawn`; 409
    `mediation-invalid-state` unless accepted."""
    command = TerminateMediation(case_id, body.reason_code, body.note)
    case = await service.terminate(uow, principal, command)
    await uow.commit()
    return schemas.MediationCasePublic.of(case)


@router.post(
    "/mediation-cases/{case_id}/withdrawal",
    response_model=schemas.MediationCasePublic,
    summary="撤回调解申请 The requester withdraws its request",
)
async def withdraw(
    case_id: CaseIdPath, principal: Licensee, uow: UnitOfWorkDep
) -> schemas.MediationCasePublic:
    """申请人撤回调解申请（受理前或调解中）。

    The requester's side withdraws a requested or accepted case;
    `cn.ipmarket.license.mediation.terminated.v1` is published with reason `withdrawn`.
    Refusals: 403 `mediation-not-requester`; 409 `mediation-invalid-state` once closed."""
    case = await service.withdraw(uow, principal, WithdrawMediation(case_id))
    await uow.commit()
    return schemas.MediationCasePublic.of(case)
