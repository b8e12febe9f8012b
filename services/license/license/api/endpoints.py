"""License endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, status

from license import filing, royalties, service
from license.api import examples, schemas
from license.api.deps import Caller, FilingClock, FilingClockDep, Licensee
from license.domain.declaration import DeclarationStatus
from license.domain.license import LicenseStatus, filing_alert_of
from license.domain.royalty import BreachKind, ScheduleSource
from license.models import (
    DeclarationViewRecord,
    LicenseBreachRecord,
    LicensePaymentRecord,
    LicenseRecord,
    PledgeViewRecord,
    RoyaltyPeriodRecord,
)
from shared.domain import Money
from shared.events.schemas import LicenseKind
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr, MoneyModel, UsccStr

router = APIRouter(route_class=StrictRoute)

LicenseIdPath = Annotated[str, Path(max_length=36, description="Id of the licence.")]
DeclarationIdPath = Annotated[str, Path(max_length=64, description="Id of the declaration.")]
PeriodIdPath = Annotated[str, Path(max_length=36, description="Id of the royalty period.")]


@router.post(
    "/licenses",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.LicensePublic,
    tags=["licenses"],
    summary="取得开放许可 Take an open licence on an announced declaration",
)
async def take_license(
    body: Annotated[schemas.LicenseCreate, Body(openapi_examples=examples.TAKE_LICENSE)],
    principal: Licensee,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
) -> schemas.LicensePublic:
    """企业（或高校、科研院所、个人）发出取得开放许可的通知：写明许可声明编号、拟实施领域和联系人，
    即按声明当前有效的条款版本取得普通许可。一次性付费或入门费的许可在付款记录后生效；免费许可
    立即生效。

    Accept the announced terms of an open-licence declaration. The caller (an
    enterprise, university, research institute or individual, identified by the
    unified social credit code in its token) gets an ordinary, non-exclusive licence on
    the terms version in force now; later versions of the terms never change it.

    The licence is `awaiting_payment` until the payment is reported with
    `POST /v1/licenses/{id}/payments`; on free terms it is `active` at once and
    `cn.ipmarket.license.license.granted.v1` is published.

    Refusals: 404 `declaration-unknown` when this service has not learned the
    declaration (it arrives from listing within moments of its announcement: retry);
    422 `license-declaration-not-active` when it is withdrawn; 422
    `license-declaration-lapsed` when its licence term has ended or the patent is no
    longer valid (lapsed, invalidated, expired);
    422 `license-licensee-uscc-missing`; 422 `license-licensee-is-patentee`;
    409 `license-already-held` when the caller already holds one under it.
    """
    record = await service.take_open_license(uow, principal, body)
    await uow.commit()
    return _license_public(record, clock)


@router.post(
    "/licenses/{license_id}/payments",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.LicenseDetail,
    tags=["licenses"],
    summary="报告或确认付款 Report or confirm a payment (the first one activates the licence)",
)
async def report_payment(
    license_id: LicenseIdPath,
    body: Annotated[schemas.PaymentCreate, Body(openapi_examples=examples.PAYMENT)],
    principal: Licensee,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
) -> schemas.LicenseDetail:
    """记录许可项下的付款：被许可人凭转账凭证号报告付款，或许可人（专利权人）确认收款。首笔付
    款使许可生效；
    提成费付款须在 `royalty_period_id` 中指明所结算的报告期。

    Record a payment under the licence, with its bank voucher: the licensee reports
    what it paid, or a licensor (the patentee) confirms what it received
    (`recorded_by_role` says which). The first payment
    makes an `awaiting_payment` licence `active`: it takes effect on `paid_on` (or on
    the terms' start if paid earlier), its filing (备案) deadline is three months later,
    and `cn.ipmarket.license.license.granted.v1` is published. Under lump-sum or
    entry-fee terms that payment must cover the fee (422 `license-payment-below-fee`).
    Later payments are recorded without changing the licence; a royalty payment names
    the reported period it settles in `royalty_period_id` (422
    `royalty-period-not-reported` before the report, 404 `royalty-period-unknown`).

    Only the licensee or a licensor may record; anyone else gets 404 `not-found`, as for
    a licence that does not exist. A voucher
    is recorded once per licence (409 `license-payment-already-recorded`); `paid_on`
    may not be after today in Asia/Shanghai (422 `license-payment-date-in-future`).
    Returns the licence with all its payments.
    """
    record, payments = await service.record_payment(uow, principal, license_id, body)
    await uow.commit()
    return _license_detail(record, payments, clock)


@router.get(
    "/licenses/{license_id}",
    response_model=schemas.LicenseDetail,
    tags=["licenses"],
    summary="查看许可 Get one licence with its payments and filing",
)
async def get_license(
    license_id: LicenseIdPath, principal: Caller, uow: UnitOfWorkDep, clock: FilingClockDep
) -> schemas.LicenseDetail:
    """查看一项许可及其付款、备案状态。仅被许可人、许可人和平台运营方可见。

    A licence with its payments. Visible to the licensee, to a licensor (a patentee
    whose USCC is in the declaration's patentees) and to the operator. Anyone else gets
    404 `not-found`, exactly as for an id that does not exist: whether a licence exists is
    its parties' business."""
    return _license_detail(*await service.get_license(uow, principal, license_id), clock)


@router.get(
    "/licenses",
    response_model=Page[schemas.LicensePublic],
    tags=["licenses"],
    summary="许可列表 List licences, newest first",
)
async def list_licenses(
    page: PageDep,
    principal: Caller,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
    application_number: Annotated[ApplicationNumberStr | None, Query()] = None,
    declaration_id: Annotated[str | None, Query(max_length=64)] = None,
    status_filter: Annotated[LicenseStatus | None, Query(alias="status")] = None,
) -> Page[schemas.LicensePublic]:
    """列出调用方持有或授予的许可（运营方可见全部），按创建时间倒序，可按专利号、声明编号或状
    态筛选。

    The licences the caller holds or granted (as a licensor); the operator sees all.
    Filter by patent (`application_number`, any common form), `declaration_id` or
    `status`. Pass `next_cursor` back as `cursor` for the next page."""
    after = page.after(TimeIdPosition)
    records = await service.list_licenses(
        uow,
        principal,
        limit=page.limit,
        after=after.key if after else None,
        application_number=application_number,
        declaration_id=declaration_id,
        status=status_filter,
    )
    cursor = None
    if len(records) == page.limit:
        last = records[-1]
        cursor = TimeIdPosition(t=last.created_at, id=last.id).cursor()
    return Page(items=[_license_public(r, clock) for r in records], next_cursor=cursor)


@router.get(
    "/declarations/{declaration_id}",
    response_model=schemas.DeclarationViewPublic,
    tags=["declarations"],
    summary="开放许可声明 A declaration as the license service knows it",
)
async def get_declaration(
    declaration_id: DeclarationIdPath, _: Caller, uow: UnitOfWorkDep
) -> schemas.DeclarationViewPublic:
    """本服务所知的开放许可声明：状态、当前条款版本，以及该专利上已登记的质押。

    The declaration's status and current terms as this service learned them from
    listing: the terms a licensee accepting now would get, and the pledges registered
    on the patent. 404 `declaration-unknown` until the announcement has arrived."""
    return _declaration_public(*await service.get_declaration(uow, declaration_id))


@router.post(
    "/licenses/{license_id}/filing",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.LicensePublic,
    tags=["filing"],
    summary="登记备案号 Record the licence's filing (备案) with CNIPA",
)
async def record_filing(
    license_id: LicenseIdPath,
    body: Annotated[schemas.FilingCreate, Body(openapi_examples=examples.FILING)],
    principal: Licensee,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
) -> schemas.LicensePublic:
    """许可合同须在生效之日起3个月内备案。持有备案通知书的许可人或被许可人录入备案号和备案日期；
    质押中的专利须有质权人同意方可备案。截止前15天和逾期时系统各发送一次提醒事件。

    Enter the filing number (备案号) and date from CNIPA's filing notice
    (备案通知书). Either party holding the notice may do it: the licensee or a licensor.
    The licence becomes `filed` and `cn.ipmarket.license.filing.recorded.v1` is published
    (with `late: true` if filed after `filing_deadline`).

    A licence must be filed within three months of taking effect (`filing_deadline`).
    Until it is, the service publishes `cn.ipmarket.license.filing.due.v1` 15 days
    before the deadline and `cn.ipmarket.license.filing.overdue.v1` once it has passed,
    once each; `filing_alert` on the licence shows the level as of today (`due`,
    `overdue`), read from the deadline, so it never waits for the watch.

    Refusals: 409 `invalid-state-transition` unless the licence is `active` (an open
    licence is active once paid); 422 `license-filing-date-invalid` when `filed_on` is
    before the licence's effect or after today; 422
    `license-filing-pledged-without-consent` when the patent is pledged and the pledgee
    has not consented to this licence (consent to the open licence, or to licences for
    any licensee or this one); 404 `not-found` for anyone not party to the licence.
    """
    record = await filing.record_filing(uow, principal, license_id, body)
    await uow.commit()
    return _license_public(record, clock)


@router.get(
    "/licenses/{license_id}/royalties",
    response_model=list[schemas.RoyaltyPeriodPublic],
    tags=["royalties"],
    summary="提成费期间 The running-royalty periods of a licence",
)
async def list_royalty_periods(
    license_id: LicenseIdPath, principal: Caller, uow: UnitOfWorkDep
) -> list[schemas.RoyaltyPeriodPublic]:
    """提成费许可的各报告期：起止日期、报告和付款截止日、申报的提成基数、应付金额和已付金额。
    报告期和截止日按许可所接受条款中声明的提成费报告安排（royalty_schedule）确定；早期条款未声明的，
    由付款方式文字推断，并标注为 inferred。

    Each reporting period of a running-royalty licence (running royalty or entry fee
    plus royalty), oldest first: its dates, the day its report and payment are due, the
    reported base, the amount due and what was paid against it. Empty for lump-sum and
    free licences. Visible to the licence's parties and the operator (404 `not-found` for
    anyone else, as for a licence that does not exist).

    Periods are fixed when the licence takes effect, from the terms version it accepted
    (later versions never change them). They follow the calendar (years, half-years,
    quarters, months), the first starting on the effective date and the last ending with
    the licence term. `schedule_source` says where they come from:

    - `declared`: the terms' `royalty_schedule` (e.g. quarterly, due 30 days after each
      quarter; or annual, due on `annual_due` 03-31 of the following year).
    - `inferred`: the terms were announced before schedules were declared and have only
      the free text `payment_schedule`; the service read it: quarterly if it mentions 季,
      monthly for 每月 / 按月 / 月度, otherwise yearly; a yearly "3月31日" means due on
      31 March of the next year, otherwise 30 days after the period. Check such dates
      against the text with the other party."""
    records = await royalties.periods_of(uow, principal, license_id)
    return [_period_public(r) for r in records]


@router.post(
    "/licenses/{license_id}/royalties/{period_id}/report",
    response_model=schemas.RoyaltyPeriodPublic,
    tags=["royalties"],
    summary="提成费报告 Report the royalty base of an ended period",
)
async def report_royalty(
    license_id: LicenseIdPath,
    period_id: PeriodIdPath,
    body: Annotated[schemas.RoyaltyReportCreate, Body(openapi_examples=examples.ROYALTY_REPORT)],
    principal: Licensee,
    uow: UnitOfWorkDep,
) -> schemas.RoyaltyPeriodPublic:
    """被许可人申报某一已结束报告期的净销售额或利润；应付提成费 = 基数 × 提成比例，按四舍五入
    （ROUND_HALF_UP）
    精确到分。逾期未报告或未付清的，记录为被许可人的违约。

    The licensee reports its net sales (净销售额) or profit (利润) of the period, as
    the terms' `royalty_base` says. The amount due is `base_amount × royalty_rate / 100`,
    computed exactly and rounded half-up to the fen (1,000,000.00 at 3.5 % is
    35,000.00; 100.10 at 3.5 % is 3.5035, so 3.50). `cn.ipmarket.license.royalty.reported.v1`
    is published. Pay it with `POST /v1/licenses/{id}/payments` naming the period in
    `royalty_period_id`.

    A report or payment still missing after `due_date` is recorded as a breach against
    the licensee (`GET /v1/breaches`) and `cn.ipmarket.license.breach.recorded.v1` is
    published; a late report is still accepted.

    Refusals: 403 `not-licensee` for a licensor (404 `not-found` for anyone not party to
    the licence); 422 `license-not-running-royalty`; 404
    `royalty-period-unknown`; 422 `royalty-period-not-ended` before the period's end;
    409 `royalty-already-reported`.
    """
    record = await royalties.report(uow, principal, license_id, period_id, body)
    await uow.commit()
    return _period_public(record)


@router.post(
    "/negotiated-licenses",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.LicensePublic,
    tags=["licenses"],
    summary="协商许可 Record a licence the patentee negotiated on its declared patent",
)
async def grant_negotiated_license(
    body: Annotated[
        schemas.NegotiatedLicenseCreate, Body(openapi_examples=examples.NEGOTIATED_LICENSE)
    ],
    principal: Licensee,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
) -> schemas.LicensePublic:
    """专利权人登记在开放许可期间另行协商签订的许可合同。开放许可声明公告期间只能订立普通许可，
    不得订立独占或排他许可；质押中的专利须有质权人同意许可的书面意见。

    A patentee records a licence contract it signed outside the open-licence terms
    (Patent Law Art. 52: negotiated licences remain possible during an open licence).
    The licence is `active` from `effective_date`, must be filed within three months
    like any licence, and `cn.ipmarket.license.license.granted.v1` is published. Only
    patents with a known open-licence declaration are handled here.

    Nothing tells two recordings of one contract apart (one licensee may hold several
    ordinary licences): send an `Idempotency-Key`, and a retried request replays the first
    answer (`Idempotent-Replayed: true`) instead of recording a second licence.

    Refusals: 404 `patent-unknown` when no declaration on the patent is known; 403
    `not-licensor` unless the caller's USCC is a patentee's; 422
    `license-exclusive-while-declared` for an exclusive (独占) or sole (排他) licence
    while an open-licence declaration on the patent is announced; 422
    `license-pledged-without-consent` when the patent is pledged and the pledgee has
    recorded no consent to licences (for any licensee or this one); 422
    `license-negotiated-terms-invalid`; 422 `license-licensee-is-patentee`; 422
    `license-conflicts-with-licence-in-force` when an exclusive or sole licence would
    overlap another licence in force (or another would overlap one).
    """
    record = await service.grant_negotiated_license(uow, principal, body)
    await uow.commit()
    return _license_public(record, clock)


@router.get(
    "/breaches",
    response_model=Page[schemas.BreachPublic],
    tags=["breaches"],
    summary="违约记录 The operator's register of late royalty reports and payments",
)
async def list_breaches(
    page: PageDep,
    principal: Caller,
    uow: UnitOfWorkDep,
    party_uscc: Annotated[UsccStr | None, Query()] = None,
    license_id: Annotated[str | None, Query(max_length=36)] = None,
    kind: Annotated[BreachKind | None, Query()] = None,
) -> Page[schemas.BreachPublic]:
    """平台运营方查看违约记录（逾期未报告提成费、逾期未付清提成费），每项许可、每个报告期、每
    类违约只记录一次，
    可按当事人统一社会信用代码筛选。

    Every breach recorded against a party, newest first: `royalty_report_overdue`
    (no report by the due date) and `royalty_payment_overdue` (reported but not fully
    paid by the due date), one per licence, period and kind. Filter by the party's
    USCC, the licence or the kind. Operator only (403 `operator-only`)."""
    after = page.after(TimeIdPosition)
    records = await royalties.list_breaches(
        uow,
        principal,
        limit=page.limit,
        after=after.key if after else None,
        party_uscc=party_uscc,
        license_id=license_id,
        kind=kind,
    )
    cursor = None
    if len(records) == page.limit:
        last = records[-1]
        cursor = TimeIdPosition(t=last.recorded_at, id=last.id).cursor()
    return Page(items=[_breach_public(r) for r in records], next_cursor=cursor)


def _license_public(record: LicenseRecord, clock: FilingClock) -> schemas.LicensePublic:
    value = record.contract_value
    return schemas.LicensePublic(
        id=record.id,
        declaration_id=record.declaration_id,
        application_number=record.application_number,
        patent_number=record.patent_number,
        kind=LicenseKind(record.kind),
        status=LicenseStatus(record.status),
        terms_version=record.terms_version,
        terms=schemas.TermsOut.model_validate(record.terms),
        licensors=[schemas.PatenteeOut.model_validate(p) for p in record.licensors],
        licensee=schemas.LicenseeOut(
            org_id=record.licensee_org_id, name=record.licensee_name, uscc=record.licensee_uscc
        ),
        field_of_use=record.field_of_use,
        contact=record.contact,
        effective_date=record.effective_date,
        term_end=record.term_end,
        filing_deadline=record.filing_deadline,
        contract_value=MoneyModel(amount=value) if value is not None else None,
        filing_number=record.filing_number,
        filed_on=record.filed_on,
        # From the deadline and today, by the deadline watch's rule: never behind it.
        filing_alert=filing_alert_of(
            LicenseStatus(record.status), record.filing_deadline, clock.today, clock.notice_days
        ),
        created_at=record.created_at,
        activated_at=record.activated_at,
    )


def _license_detail(
    record: LicenseRecord, payments: list[LicensePaymentRecord], clock: FilingClock
) -> schemas.LicenseDetail:
    paid = Money.total(Money(p.amount, p.currency) for p in payments)
    return schemas.LicenseDetail(
        **_license_public(record, clock).model_dump(),
        payments=[
            schemas.PaymentPublic(
                id=p.id,
                amount=MoneyModel(amount=Decimal(p.amount)),
                voucher_reference=p.voucher_reference,
                paid_on=p.paid_on,
                activated_license=p.activated_license,
                recorded_by_role=p.recorded_by_role,
                royalty_period_id=p.royalty_period_id,
                recorded_at=p.created_at,
            )
            for p in payments
        ],
        amount_paid=MoneyModel.from_money(paid),
    )


def _declaration_public(
    record: DeclarationViewRecord, pledges: list[PledgeViewRecord]
) -> schemas.DeclarationViewPublic:
    return schemas.DeclarationViewPublic(
        declaration_id=record.declaration_id,
        application_number=record.application_number,
        status=DeclarationStatus(record.status),
        patent_number=record.patent_number,
        patent_type=record.patent_type,
        title=record.title,
        patentees=[schemas.PatenteeOut.model_validate(p) for p in record.patentees],
        terms_version=record.terms_version,
        terms=schemas.TermsOut.model_validate(record.terms) if record.terms else None,
        announced_at=record.announced_at,
        withdrawn_at=record.withdrawn_at,
        pledges=[schemas.PledgePublic.model_validate(p, from_attributes=True) for p in pledges],
    )


def _money(value: Decimal | None) -> MoneyModel | None:
    return MoneyModel(amount=Decimal(value)) if value is not None else None


def _period_public(record: RoyaltyPeriodRecord) -> schemas.RoyaltyPeriodPublic:
    rate = Decimal(record.royalty_rate).normalize()
    return schemas.RoyaltyPeriodPublic(
        id=record.id,
        period_start=record.period_start,
        period_end=record.period_end,
        due_date=record.due_date,
        schedule_source=ScheduleSource(record.schedule_source),
        royalty_base=record.royalty_base,
        royalty_rate=f"{rate:f}",
        base_amount=_money(record.base_amount),
        amount_due=_money(record.amount_due),
        amount_paid=MoneyModel(amount=Decimal(record.amount_paid)),
        reported_at=record.reported_at,
        report_overdue=record.report_breach_recorded,
        payment_overdue=record.payment_breach_recorded,
    )


def _breach_public(record: LicenseBreachRecord) -> schemas.BreachPublic:
    return schemas.BreachPublic(
        id=record.id,
        license_id=record.license_id,
        application_number=record.application_number,
        kind=record.kind,
        party_org_id=record.party_org_id,
        party_name=record.party_name,
        party_uscc=record.party_uscc,
        period_id=record.period_id,
        due_date=record.due_date,
        amount_outstanding=_money(record.amount_outstanding),
        recorded_at=record.recorded_at,
    )
