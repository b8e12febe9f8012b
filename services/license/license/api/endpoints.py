"""License endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from license import service
from license.api import schemas
from license.api.deps import Caller, Licensee
from license.domain.declaration import DeclarationStatus
from license.domain.license import LicenseStatus
from license.models import (
    DeclarationViewRecord,
    LicensePaymentRecord,
    LicenseRecord,
    PledgeViewRecord,
)
from shared.domain import Money
from shared.events.schemas import LicenseKind
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, encode_cursor
from shared.http.types import ApplicationNumberStr, MoneyModel

router = APIRouter()

LicenseIdPath = Annotated[str, Path(max_length=36, description="Id of the licence.")]
DeclarationIdPath = Annotated[str, Path(max_length=64, description="Id of the declaration.")]


@router.post(
    "/licenses",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.LicensePublic,
    tags=["licenses"],
    summary="Take an open licence (取得开放许可)",
)
async def take_license(
    body: schemas.LicenseCreate, principal: Licensee, uow: UnitOfWorkDep
) -> schemas.LicensePublic:
    """Accept the announced terms of an open-licence declaration. The caller (an
    enterprise, university, research institute or individual, identified by the
    unified social credit code in its token) gets an ordinary, non-exclusive licence on
    the terms version in force now; later versions of the terms never change it.

    The licence is `awaiting_payment` until the payment is reported with
    `POST /v1/licenses/{id}/payments`; on free terms it is `active` at once and
    `cn.ipmarket.license.license.granted.v1` is published.

    Refusals: 404 `declaration-unknown` when this service has not learned the
    declaration (it arrives from listing within moments of its announcement: retry);
    422 `license-declaration-not-active` when it is withdrawn or its term has ended;
    422 `license-licensee-uscc-missing`; 422 `license-licensee-is-patentee`;
    409 `license-already-held` when the caller already holds one under it.
    """
    record = await service.take_open_license(uow, principal, body)
    await uow.commit()
    return _license_public(record)


@router.post(
    "/licenses/{license_id}/payments",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.LicenseDetail,
    tags=["licenses"],
    summary="Report a payment under a licence (the first one activates it)",
)
async def report_payment(
    license_id: LicenseIdPath,
    body: schemas.PaymentCreate,
    principal: Licensee,
    uow: UnitOfWorkDep,
) -> schemas.LicenseDetail:
    """Record a payment the licensee made, with its bank voucher. The first payment
    makes an `awaiting_payment` licence `active`: it takes effect on `paid_on` (or on
    the terms' start if paid earlier), its filing (备案) deadline is three months later,
    and `cn.ipmarket.license.license.granted.v1` is published. Under lump-sum or
    entry-fee terms that payment must cover the fee (422 `license-payment-below-fee`).
    Later payments (running royalties) are recorded without changing the licence.

    Only the licensee may report (403 `not-licensee`). A voucher is recorded once per
    licence (409 `license-payment-already-recorded`); `paid_on` may not be after today
    in Asia/Shanghai (422 `license-payment-date-in-future`). Returns the licence with
    all its payments.
    """
    record, payments = await service.record_payment(uow, principal, license_id, body)
    await uow.commit()
    return _license_detail(record, payments)


@router.get(
    "/licenses/{license_id}",
    response_model=schemas.LicenseDetail,
    tags=["licenses"],
    summary="Get one licence with its payments",
)
async def get_license(
    license_id: LicenseIdPath, principal: Caller, uow: UnitOfWorkDep
) -> schemas.LicenseDetail:
    """A licence with its payments. Visible to the licensee, to a licensor (a patentee
    whose USCC is in the declaration's patentees) and to the operator; others get 403
    `not-party-to-license`."""
    return _license_detail(*await service.get_license(uow, principal, license_id))


@router.get(
    "/licenses",
    response_model=Page[schemas.LicensePublic],
    tags=["licenses"],
    summary="List licences, newest first",
)
async def list_licenses(
    page: PageDep,
    principal: Caller,
    uow: UnitOfWorkDep,
    application_number: Annotated[ApplicationNumberStr | None, Query()] = None,
    declaration_id: Annotated[str | None, Query(max_length=64)] = None,
    status_filter: Annotated[LicenseStatus | None, Query(alias="status")] = None,
) -> Page[schemas.LicensePublic]:
    """The licences the caller holds or granted (as a licensor); the operator sees all.
    Filter by patent (`application_number`, any common form), `declaration_id` or
    `status`. Pass `next_cursor` back as `cursor` for the next page."""
    after = None
    if page.cursor:
        after = (datetime.fromisoformat(page.cursor["t"]), str(page.cursor["id"]))
    records = await service.list_licenses(
        uow,
        principal,
        limit=page.limit,
        after=after,
        application_number=application_number,
        declaration_id=declaration_id,
        status=status_filter,
    )
    cursor = None
    if len(records) == page.limit:
        last = records[-1]
        cursor = encode_cursor({"t": last.created_at.isoformat(), "id": last.id})
    return Page(items=[_license_public(r) for r in records], next_cursor=cursor)


@router.get(
    "/declarations/{declaration_id}",
    response_model=schemas.DeclarationViewPublic,
    tags=["declarations"],
    summary="A declaration as the license service knows it",
)
async def get_declaration(
    declaration_id: DeclarationIdPath, _: Caller, uow: UnitOfWorkDep
) -> schemas.DeclarationViewPublic:
    """The declaration's status and current terms as this service learned them from
    listing: the terms a licensee accepting now would get, and the pledges registered
    on the patent. 404 `declaration-unknown` until the announcement has arrived."""
    return _declaration_public(*await service.get_declaration(uow, declaration_id))


def _license_public(record: LicenseRecord) -> schemas.LicensePublic:
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
        created_at=record.created_at,
        activated_at=record.activated_at,
    )


def _license_detail(
    record: LicenseRecord, payments: list[LicensePaymentRecord]
) -> schemas.LicenseDetail:
    paid = Money.total(Money(p.amount, p.currency) for p in payments)
    return schemas.LicenseDetail(
        **_license_public(record).model_dump(),
        payments=[
            schemas.PaymentPublic(
                id=p.id,
                amount=MoneyModel(amount=Decimal(p.amount)),
                voucher_reference=p.voucher_reference,
                paid_on=p.paid_on,
                activated_license=p.activated_license,
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
