"""Deal endpoints: thin — parse, build the command, call the service, shape the response."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Request, status

from license.api.deals import examples, schemas
from license.api.deps import Caller, Licensee, Operator
from license.api.schemas import saved_position
from license.config import LicenseSettings
from license.deals import contracts, service
from license.deals.commands import (
    AnswerOffer,
    ListDeals,
    MakeOffer,
    OpenDeal,
    RecordTransferRecordal,
    SignContract,
)
from license.domain.deal import (
    DealState,
)
from license.domain.declaration import LicenseTerms, Patentee
from license.domain.offer import (
    DealParty,
    DealSubject,
    LicenseProposal,
    Proposal,
    TransferProposal,
)
from shared.http.bodies import bounded_body
from shared.http.dependencies import PageDep, UnitOfWorkDep, get_runtime
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr

router = APIRouter(route_class=StrictRoute)

DealIdPath = Annotated[str, Path(max_length=36, description="Id of the deal.")]
OfferIdPath = Annotated[str, Path(max_length=36, description="Id of the offer.")]


def clock_now(request: Request) -> datetime:
    return get_runtime(request).clock.now()


Now = Annotated[datetime, Depends(clock_now)]


@router.post(
    "/deals",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DealPublic,
    tags=["deals"],
    summary="发起协商交易 Open a deal with a first offer (licence or transfer)",
)
async def open_deal(
    body: Annotated[schemas.DealCreate, Body(openapi_examples=examples.OPEN_DEAL)],
    principal: Licensee,
    uow: UnitOfWorkDep,
    now: Now,
) -> schemas.DealPublic:
    """专利权人向对方发出许可（普通、排他、独占）或转让要约，或企业、高校等向专利权人提出请求；
    要约须写明有效期（至多90天），要约人在对方接受前可撤回。

    A patentee offers a licence or a transfer of its patent to the `counterparty`
    (named by its USCC), or an organisation asks the patentee (the `counterparty`) for
    one. Any patent listing registered may be dealt; the deal is `negotiating` with
    this offer open until `expires_at`. `cn.ipmarket.license.deal.opened.v1` is
    published (without the offer's terms: negotiations are private).

    Refusals: 404 `patent-unknown` when listing's registration of the patent has not
    reached this service; 422 `patent-not-valid` (lapsed, invalidated, suspended,
    under preservation); 422 `deal-no-patentee` when neither party is a patentee; 422
    `license-licensee-is-patentee` when both are; 422 `license-exclusive-while-declared`
    for a sole or exclusive licence while an open-licence declaration is announced; 422
    `deal-offer-invalid` (expires_at not in the next 90 days, term outside the patent's
    life, terms without their fee or royalty, transferees' shares not adding up to 100 or
    not including the counterparty); 422 `validation-error` for a malformed field.
    """
    command = OpenDeal(
        application_number=body.application_number,
        subject=DealSubject.LICENSE if body.license is not None else DealSubject.TRANSFER,
        counterparty=DealParty(
            body.counterparty.name,
            body.counterparty.uscc,
            body.counterparty.org_id,
            body.counterparty.org_type,
        ),
        proposal=_proposal(body),
        expires_at=body.expires_at,
    )
    deal = await service.open_deal(uow, principal, command)
    await uow.commit()
    return schemas.DealPublic.of(deal, now)


@router.post(
    "/deals/{deal_id}/offers",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DealPublic,
    tags=["deals"],
    summary="还价 Counter-offer (supersedes the open offer)",
)
async def counter_offer(
    deal_id: DealIdPath,
    body: Annotated[schemas.OfferIn, Body(openapi_examples=examples.COUNTER_OFFER)],
    principal: Licensee,
    uow: UnitOfWorkDep,
    now: Now,
) -> schemas.DealPublic:
    """收到要约的一方提出新要约（还价），原要约即被取代。

    The party the open offer is addressed to answers with its own: the open one is
    `superseded`. 409 `deal-offer-open-by-you` when the caller's own offer is open;
    409 `deal-not-negotiating` once agreed, withdrawn or ended; 422 `deal-offer-expired`
    once the open offer expired; 409 `deal-failed` with its reason; 404 `deal-unknown`
    for a deal the caller is not a party to; and the refusals of `POST /v1/deals`."""
    command = MakeOffer(deal_id, _proposal(body), body.expires_at)
    deal = await service.make_offer(uow, principal, command)
    await uow.commit()
    return schemas.DealPublic.of(deal, now)


@router.post(
    "/deals/{deal_id}/offers/{offer_id}/acceptance",
    response_model=schemas.DealPublic,
    tags=["deals"],
    summary="接受要约 Accept the open offer (the deal is agreed)",
)
async def accept_offer(
    deal_id: DealIdPath,
    offer_id: OfferIdPath,
    principal: Licensee,
    uow: UnitOfWorkDep,
    now: Now,
) -> schemas.DealPublic:
    """受要约方接受要约，交易达成（agreed），双方随后签署合同。独占或排他许可自此占用其范围
    （期限、地域、实施领域），同一范围的另一独占许可不能再达成。

    The party the offer is addressed to accepts it: the deal is `agreed` and
    `cn.ipmarket.license.deal.agreed.v1` is published. An exclusive or sole licence's
    scope (term, territory, field of use) is reserved from now on; of two acceptances
    for overlapping scopes at the same moment exactly one succeeds.

    Refusals: 403 `deal-not-offer-addressee` for the offer's author; 409
    `deal-offer-not-open` for a withdrawn, superseded or accepted offer; 422
    `deal-offer-expired`; 409 `deal-failed` with its reason; 409
    `deal-exclusive-scope-taken` when an exclusive or sole licence of an overlapping scope
    is agreed or in force (or the patent's transfer is agreed); 422
    `patent-not-valid`; 422 `license-exclusive-while-declared`; 404
    `deal-unknown` / `deal-offer-unknown`."""
    deal = await service.accept_offer(uow, principal, AnswerOffer(deal_id, offer_id))
    await uow.commit()
    return schemas.DealPublic.of(deal, now)


@router.post(
    "/deals/{deal_id}/offers/{offer_id}/withdrawal",
    response_model=schemas.DealPublic,
    tags=["deals"],
    summary="撤回要约 Withdraw one's open offer (the negotiation ends)",
)
async def withdraw_offer(
    deal_id: DealIdPath,
    offer_id: OfferIdPath,
    principal: Licensee,
    uow: UnitOfWorkDep,
    now: Now,
) -> schemas.DealPublic:
    """要约人在对方接受前撤回要约，协商结束（withdrawn）。

    The author withdraws its open offer before it is accepted: the deal is
    `withdrawn`. 403 `deal-not-offer-author`; 409 `deal-offer-not-open`; 409
    `deal-not-negotiating`; 404 `deal-unknown` / `deal-offer-unknown`."""
    deal = await service.withdraw_offer(uow, principal, AnswerOffer(deal_id, offer_id))
    await uow.commit()
    return schemas.DealPublic.of(deal, now)


@router.post(
    "/deals/{deal_id}/signatures",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DealPublic,
    tags=["deals"],
    summary="签署合同 Sign the agreed contract (body: the signed document)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in ("application/pdf", "application/ofd", "image/png", "image/jpeg")
            },
        }
    },
)
async def sign(
    deal_id: DealIdPath, request: Request, principal: Licensee, uow: UnitOfWorkDep, now: Now
) -> schemas.DealPublic:
    """双方各自上传签署的合同文本（PDF、OFD、PNG、JPEG），平台保存原件及其SHA-256作为证据。
    双方均签署后：许可合同于约定期限开始日（或当日，取较晚者）生效，生成许可并发布许可事件；
    转让合同进入待登记（awaiting_recordal），质押中的专利须先有质权人同意转让的记录。

    Each party uploads the contract it signed; the document is kept as evidence with
    its SHA-256 (shown in the deal's `signatures`). When both have signed, a licence
    deal is `effective`: its licence (`license_id`) is in force from its term's start
    (or today, if later), with its royalty periods, and
    `cn.ipmarket.license.license.granted.v1` (with `deal_id`) is published. A transfer
    deal is `awaiting_recordal` and `cn.ipmarket.license.transfer.agreed.v1` is
    published.

    Refusals: 403 `not-party-to-deal` (the operator); 409 `deal-already-signed`; 409
    `deal-not-agreed`; 409 `deal-failed` with its reason; 422
    `deal-signature-document-refused` (type, empty, size); 422
    `deal-transfer-pledged-without-consent` / `license-pledged-without-consent` when the
    patent is pledged and its pledgee's consent is not recorded (the signature is not
    kept: sign again once it is); 404 `deal-unknown`."""
    settings = get_runtime(request).settings
    assert isinstance(settings, LicenseSettings)
    command = SignContract(
        deal_id,
        await bounded_body(request, settings.document_max_bytes, what="a signed contract document"),
        request.headers.get("content-type", ""),
    )
    deal = await contracts.sign(uow, principal, command, settings.document_max_bytes)
    await uow.commit()
    return schemas.DealPublic.of(deal, now)


@router.post(
    "/deals/{deal_id}/recordal",
    response_model=schemas.DealPublic,
    tags=["deals"],
    summary="转让登记 Enter the patent office's recordal of a transfer (operator)",
)
async def record_recordal(
    deal_id: DealIdPath,
    body: Annotated[schemas.RecordalIn, Body(openapi_examples=examples.RECORDAL)],
    principal: Operator,
    uow: UnitOfWorkDep,
    now: Now,
) -> schemas.DealPublic:
    """运营方录入国家知识产权局的转让登记（著录项目变更）结果；登记后专利权人在挂牌服务中变更。

    The operator enters the office's recordal of a signed transfer: the deal is
    `recorded`, `cn.ipmarket.license.transfer.recorded.v1` is published and listing
    changes the patent's owner. Operator only (403); 409 `deal-not-awaiting-recordal`;
    409 `deal-failed`; 422 `deal-offer-invalid` for a recorded_on after today; 422
    `deal-transfer-pledged-without-consent` when a pledge registered since the signing
    (without its pledgee's consent to this transfer) now binds the patent."""
    command = RecordTransferRecordal(deal_id, body.recordal_number, body.recorded_on)
    deal = await contracts.record_recordal(uow, principal, command)
    await uow.commit()
    return schemas.DealPublic.of(deal, now)


@router.get(
    "/deals",
    response_model=Page[schemas.DealPublic],
    tags=["deals"],
    summary="我的交易 The deals the caller is a party to",
)
async def list_deals(
    page: PageDep,
    principal: Caller,
    uow: UnitOfWorkDep,
    now: Now,
    application_number: Annotated[ApplicationNumberStr | None, Query()] = None,
    state: Annotated[DealState | None, Query()] = None,
) -> Page[schemas.DealPublic]:
    """列出调用方作为一方的交易（运营方可见全部），按创建时间倒序。

    Newest first; the operator sees all. Filter by patent or stored `state` (an
    expired negotiation is stored as `negotiating`). Pass `next_cursor` back as
    `cursor` for the next page."""
    after = page.after(TimeIdPosition)
    query = ListDeals(
        limit=page.limit,
        after=after.key if after else None,
        application_number=application_number,
        state=state,
    )
    found = await service.list_deals(uow, principal, query)
    items = [schemas.DealPublic.of(d, now) for d in found]
    return Page(items=items, next_cursor=page.next_cursor(found, saved_position))


@router.get(
    "/deals/{deal_id}",
    response_model=schemas.DealPublic,
    tags=["deals"],
    summary="交易详情 A deal with its offers and signatures",
)
async def get_deal(
    deal_id: DealIdPath, principal: Caller, uow: UnitOfWorkDep, now: Now
) -> schemas.DealPublic:
    """交易详情：要约历史与双方签署文本的SHA-256。仅交易双方及运营方可见。

    The deal with its offers (oldest first) and signatures (with their SHA-256). 404
    `deal-unknown` for anyone but its parties and the operator."""
    return schemas.DealPublic.of(await service.get_deal(uow, principal, deal_id), now)


def _proposal(body: schemas.OfferIn) -> Proposal:
    if body.license is not None:
        terms = body.license.terms
        return LicenseProposal(
            kind=body.license.kind,
            field_of_use=body.license.field_of_use,
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
        )
    assert body.transfer is not None
    return TransferProposal(
        price=body.transfer.price,
        transferees=tuple(
            Patentee(t.name, t.uscc, t.share, t.party_type) for t in body.transfer.transferees
        ),
    )
