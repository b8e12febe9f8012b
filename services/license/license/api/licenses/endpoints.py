"""Licence endpoints: thin — parse, build the command, call the service, shape the
response."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, status

from license.api import examples
from license.api import schemas as shared
from license.api.deps import Caller, FilingClock, FilingClockDep, Licensee, PartyOrOperator
from license.api.licenses import schemas
from license.domain.declaration import LicenseTerms
from license.domain.license import Licensee as LicenseeParty
from license.domain.license import LicenseStatus, PatentLicense
from license.domain.license_end import RescissionGround, RescissionGroundKind, TerminationReason
from license.domain.payment import LicensePayment, Payment
from license.licenses import endings, service
from license.licenses.commands import (
    GrantNegotiatedLicense,
    ListLicenses,
    RecordPayment,
    RescindLicense,
    TakeOpenLicense,
    TerminateLicense,
)
from shared.domain import Money
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr, MoneyModel

router = APIRouter(route_class=StrictRoute)
# Its own router only to keep the OpenAPI document's order of paths: this path comes
# after the royalty ones (license.main includes the routers in that order).
negotiated_router = APIRouter(route_class=StrictRoute)

LicenseIdPath = Annotated[str, Path(max_length=36, description="Id of the licence.")]


@router.post(
    "/licenses",
    status_code=status.HTTP_201_CREATED,
    response_model=shared.LicensePublic,
    tags=["licenses"],
    summary="取得开放许可 Take an open licence on an announced declaration",
)
async def take_license(
    body: Annotated[schemas.LicenseCreate, Body(openapi_examples=examples.TAKE_LICENSE)],
    principal: Licensee,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
) -> shared.LicensePublic:
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
    422 `license-conflicts-with-licence-in-force` beside an exclusive or sole licence
    of an overlapping scope (one signed as the declaration was announced: listing then
    suspends the declaration);
    409 `license-already-held` when the caller already holds one under it.
    """
    command = TakeOpenLicense(body.declaration_id, body.field_of_use, body.contact)
    licence = await service.take_open_license(uow, principal, command)
    await uow.commit()
    return license_public(licence, clock)


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
    An ended licence (expired, terminated, rescinded) takes royalty payments for the
    periods of its term only (409 `license-ended-no-payment` without a
    `royalty_period_id`, 409 `royalty-period-cancelled` for a period after its end).
    Returns the licence with all its payments.
    """
    command = RecordPayment(
        license_id,
        Payment(body.amount.to_money(), body.voucher_reference, body.paid_on),
        body.royalty_period_id,
    )
    licence, payments = await service.record_payment(uow, principal, command)
    await uow.commit()
    return _license_detail(licence, payments, clock)


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
    response_model=Page[shared.LicensePublic],
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
) -> Page[shared.LicensePublic]:
    """列出调用方持有或授予的许可（运营方可见全部），按创建时间倒序，可按专利号、声明编号或状
    态筛选。

    The licences the caller holds or granted (as a licensor); the operator sees all.
    Filter by patent (`application_number`, any common form), `declaration_id` or
    `status`. Pass `next_cursor` back as `cursor` for the next page."""
    after = page.after(TimeIdPosition)
    query = ListLicenses(
        limit=page.limit,
        after=after.key if after else None,
        application_number=application_number,
        declaration_id=declaration_id,
        status=status_filter,
    )
    licences = await service.list_licenses(uow, principal, query)
    items = [license_public(r, clock) for r in licences]
    return Page(items=items, next_cursor=page.next_cursor(licences, shared.saved_position))


@negotiated_router.post(
    "/negotiated-licenses",
    status_code=status.HTTP_201_CREATED,
    response_model=shared.LicensePublic,
    tags=["licenses"],
    summary="协商许可 Record a licence the patentee negotiated on its patent",
)
async def grant_negotiated_license(
    body: Annotated[
        schemas.NegotiatedLicenseCreate, Body(openapi_examples=examples.NEGOTIATED_LICENSE)
    ],
    principal: Licensee,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
) -> shared.LicensePublic:
    """专利权人登记其另行协商签订的许可合同（任一已登记专利）。开放许可声明公告期间只能订立普通许可，
    不得订立独占或排他许可；质押中的专利须有质权人同意许可的书面意见。

    A patentee records a licence contract it signed outside the open-licence terms
    (Patent Law Art. 52: negotiated licences remain possible during an open licence).
    The licence is `active` from `effective_date`, must be filed within three months
    like any licence, and `cn.ipmarket.license.license.granted.v1` is published. Any
    patent listing registered is handled here (its patentees from listing's catalogue);
    to negotiate the contract on the platform, use `POST /v1/deals`.

    Nothing tells two recordings of one contract apart (one licensee may hold several
    ordinary licences): send an `Idempotency-Key`, and a retried request replays the first
    answer (`Idempotent-Replayed: true`) instead of recording a second licence.

    Refusals: 404 `patent-unknown` when listing's registration of the patent has not
    reached this service; 403 `not-licensor` unless the caller's USCC is a patentee's;
    422 `patent-not-valid` when the patent is not valid (lapsed, invalidated,
    suspended or under preservation); 422
    `license-exclusive-while-declared` for an exclusive (独占) or sole (排他) licence
    while an open-licence declaration on the patent is announced; 422
    `license-pledged-without-consent` when the patent is pledged and the pledgee has
    recorded no consent to licences (for any licensee or this one); 422
    `license-negotiated-terms-invalid`; 422 `license-licensee-is-patentee`; 422
    `license-conflicts-with-licence-in-force` when an exclusive or sole licence would
    overlap another licence in force (or another would overlap one).
    """
    terms = body.terms
    command = GrantNegotiatedLicense(
        application_number=body.application_number,
        kind=body.kind,
        licensee=LicenseeParty(
            org_id=body.licensee.org_id,
            name=body.licensee.name,
            uscc=body.licensee.uscc,
            org_type=body.licensee.org_type,
        ),
        terms=LicenseTerms(
            payment_mode=terms.payment_mode,
            term_start=terms.term_start,
            term_end=terms.term_end,
            lump_sum_fee=terms.lump_sum_fee,
            entry_fee=terms.entry_fee,
            royalty_base=terms.royalty_base.value if terms.royalty_base else None,
            royalty_rate=terms.royalty_rate,
            payment_schedule=terms.payment_schedule,
            territory=terms.territory,
        ),
        field_of_use=body.field_of_use,
        effective_date=body.effective_date,
    )
    licence = await service.grant_negotiated_license(uow, principal, command)
    await uow.commit()
    return license_public(licence, clock)


@router.post(
    "/licenses/{license_id}/termination",
    response_model=schemas.LicenseDetail,
    tags=["licenses"],
    summary="许可终止 Consent to terminate a licence (by agreement, or an open licence given up)",
)
async def terminate_license(
    license_id: LicenseIdPath,
    body: Annotated[schemas.TerminationCreate, Body(openapi_examples=examples.TERMINATION)],
    principal: Licensee,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
) -> schemas.LicenseDetail:
    """许可人或被许可人提交终止许可的意见：协商一致终止须双方分别提交相同的终止日期和原因，第二方
    提交后许可终止；开放许可的被许可人可以单方放弃许可，提交即终止。

    The licensee or a licensor records its consent to end the licence from `ended_on`
    (the first day it is no longer in force). With `reason_code` `agreement` the licence
    ends when the other side has consented to the same `ended_on` and `reason_code`;
    until then the answer shows the consents in `termination_consents` and the licence
    stays in force (a side consenting again replaces its own consent). With
    `licensee_gives_up` the licensee of an open licence ends it at once (Patent Law
    Art. 51). A licence that ends becomes `terminated` and
    `cn.ipmarket.license.license.ended.v1` is published (`reason` `terminated`): an
    exclusive or sole licence no longer blocks an open-licence declaration or another
    licence. Royalty periods that start on or after `ended_on` are cancelled; those of
    the term are still reported and paid.

    Refusals: 404 `not-found` for a licence the caller is not a party to (as for one that
    does not exist); 403 for an organisation type that holds no licences (the operator
    rescinds instead); 403 `license-termination-not-allowed` for `licensee_gives_up` by a
    licensor or on a negotiated licence; 409
    `license-already-ended`; 409 `license-not-in-force` while awaiting payment; 422
    `license-end-date-invalid` for `ended_on` before the effect, after today or after
    `term_end` + 1 day; 422 `license-termination-terms-differ` when the other side
    consented to another date or reason.
    """
    command = TerminateLicense(
        license_id, body.ended_on, TerminationReason(body.reason_code), body.note
    )
    licence, payments = await endings.terminate_license(uow, principal, command)
    await uow.commit()
    return _license_detail(licence, payments, clock)


@router.post(
    "/licenses/{license_id}/rescission",
    response_model=schemas.LicenseDetail,
    tags=["licenses"],
    summary="许可解除 Rescind a licence for the licensee's breach",
)
async def rescind_license(
    license_id: LicenseIdPath,
    body: Annotated[schemas.RescissionCreate, Body(openapi_examples=examples.RESCISSION)],
    principal: PartyOrOperator,
    uow: UnitOfWorkDep,
    clock: FilingClockDep,
) -> schemas.LicenseDetail:
    """许可人因被许可人违约解除许可，须援引违约登记中该许可的违约记录，或法院判决、仲裁裁决的案号；
    平台运营方可依据法院生效判决解除许可。被许可人不能通过本接口解除许可。

    A licensor rescinds (解除) the licence from `ended_on` for the licensee's breach:
    `ground` cites a breach of this licence recorded in the breach register
    (`{"kind": "breach", "reference": <breach id>}`) or a court judgment or arbitral award
    by its case number (案号). The operator rescinds on a court judgment only. The
    licence becomes `rescinded`, `end_reason` keeps the ground, and
    `cn.ipmarket.license.license.ended.v1` is published (`reason` `rescinded`; the ground
    and the note stay private). Royalty periods that start on or after `ended_on` are
    cancelled; those of the term are still owed, and late ones still become breaches.

    Refusals: 404 `not-found` for a licence the caller is not a party to; 403
    `license-rescission-by-licensee` for the licensee; 409 `license-already-ended`; 409
    `license-not-in-force` while awaiting payment; 422 `license-rescission-ground-invalid`
    for a breach id not recorded against this licence, or an operator citing anything
    but a judgment; 422 `license-end-date-invalid` as for a termination.
    """
    ground = RescissionGround(RescissionGroundKind(body.ground.kind), body.ground.reference)
    command = RescindLicense(license_id, body.ended_on, ground, body.note)
    licence, payments = await endings.rescind_license(uow, principal, command)
    await uow.commit()
    return _license_detail(licence, payments, clock)


def license_public(licence: PatentLicense, clock: FilingClock) -> shared.LicensePublic:
    """The licence as the API shows it; its filing alert from the deadline and today, by
    the deadline watch's rule: never behind it."""
    return shared.LicensePublic.of(licence, licence.filing_alert_on(clock.today, clock.notice_days))


def _license_detail(
    licence: PatentLicense, payments: list[LicensePayment], clock: FilingClock
) -> schemas.LicenseDetail:
    paid = Money.total(p.payment.amount for p in payments)
    return schemas.LicenseDetail(
        **license_public(licence, clock).model_dump(),
        payments=[
            schemas.PaymentPublic(
                id=p.id,
                amount=MoneyModel(amount=p.payment.amount.amount),
                voucher_reference=p.payment.voucher_reference,
                paid_on=p.payment.paid_on,
                activated_license=p.activated_license,
                recorded_by_role=p.recorded_by_role.value,
                royalty_period_id=p.royalty_period_id,
                recorded_at=p.recorded_at,
            )
            for p in payments
        ],
        amount_paid=MoneyModel.from_money(paid),
        termination_consents=[
            schemas.TerminationConsentPublic(
                role=c.role.value,
                org_id=c.org_id,
                name=c.name,
                ended_on=c.ended_on,
                reason_code=c.reason.value,
                note=c.note,
                recorded_at=c.recorded_at,
            )
            for c in licence.termination_consents
        ],
    )
