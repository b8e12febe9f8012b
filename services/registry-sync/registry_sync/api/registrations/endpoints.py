"""Registry-sync endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request

from registry_sync.api.deps import Caller, Seller
from registry_sync.api.registrations import schemas
from registry_sync.domain.registration import RegistrationDetails, TechContractRegistration
from registry_sync.registrations import service
from registry_sync.registrations.commands import CorrectDetails, Resubmit
from shared.domain import ApplicationNumber
from shared.http.dependencies import PageDep, UnitOfWorkDep, get_runtime
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr

router = APIRouter(tags=["tech-contract-registrations"], route_class=StrictRoute)

RegistrationIdPath = Annotated[str, Path(max_length=36, description="Id of the registration.")]

DETAILS_EXAMPLES = {
    "running_royalty": {
        "summary": "提成许可：许可方估算合同金额",
        "value": {
            "version": 1,
            "contract_value": "300000.00",
            "technology_value": "300000.00",
        },
    },
    "party_region": {
        "summary": "补充当事人所在地行政区划与技术领域",
        "value": {
            "version": 2,
            "technical_field": "电学 (IPC H01M 10/48); 储能电池管理",
            "parties": [{"index": 1, "country": "CN", "region_code": "440305"}],
        },
    },
}


@router.get(
    "/tech-contract-registrations",
    response_model=Page[schemas.TechContractRegistrationPublic],
    summary="List technology-contract registrations (技术合同认定登记)",
)
async def list_registrations(
    page: PageDep,
    uow: UnitOfWorkDep,
    principal: Caller,
    application_number: Annotated[ApplicationNumberStr | None, Query()] = None,
    source_reference: Annotated[
        str | None, Query(max_length=64, description="Licence or transfer id.")
    ] = None,
) -> Page[schemas.TechContractRegistrationPublic]:
    """技术合同认定登记列表，最新的在前。

    Registrations recorded for granted licences and signed transfers, newest first. The
    operator and regulators see all; any other organisation sees those where its USCC is
    the seller or the buyer."""
    after = page.after(TimeIdPosition)
    records = await service.list_registrations(
        uow,
        principal,
        limit=page.limit,
        after=after.key if after else None,
        application_number=(
            ApplicationNumber.parse(application_number).value if application_number else None
        ),
        source_reference=source_reference,
    )
    cursor = None
    if len(records) == page.limit:
        last = records[-1]
        assert last.created_at is not None  # stored registrations have it
        cursor = TimeIdPosition(t=last.created_at, id=last.id).cursor()
    return Page(items=[_public(r) for r in records], next_cursor=cursor)


@router.get(
    "/tech-contract-registrations/{registration_id}",
    response_model=schemas.TechContractRegistrationPublic,
    summary="查看技术合同认定登记 Get one technology-contract registration",
)
async def get_registration(
    registration_id: RegistrationIdPath, uow: UnitOfWorkDep, principal: Caller
) -> schemas.TechContractRegistrationPublic:
    """查看一项技术合同认定登记：状态、待补充事项、登记机构的受理号、不予登记的理由、登记号与核定金额。

    One registration: its status (`awaiting_filing`, `awaiting_details` with
    `missing_fields`, `ready`, `submitted`, `refused` with the office's
    `refusal_reasons`, `registered` with the `registration_number` and the certified
    values). Visible to its seller, its buyer, the operator and regulators; anyone else
    is answered 404 `tech-contract-registration-not-found`, as for an id that does not
    exist."""
    return _public(await service.get_registration(uow, principal, registration_id))


@router.patch(
    "/tech-contract-registrations/{registration_id}",
    response_model=schemas.TechContractRegistrationPublic,
    summary="补充或更正登记信息 Complete or correct a registration's details (卖方)",
)
async def correct_details(
    registration_id: RegistrationIdPath,
    body: Annotated[schemas.RegistrationDetailsUpdate, Body(openapi_examples=DETAILS_EXAMPLES)],
    uow: UnitOfWorkDep,
    principal: Seller,
    request: Request,
) -> schemas.TechContractRegistrationPublic:
    """卖方（许可方、转让方）补充或更正认定登记所需信息：合同成交额、技术交易额、技术领域、签订日期、有效期止日、当事人国别与行政区划代码。

    The seller (its USCC is `seller_uscc`) completes what `missing_fields` lists or
    corrects a refused contract. Send the `version` read; fields left out stay as they
    are. A registration with nothing missing becomes `ready` and is submitted to the
    office; a refused one stays `refused` until `POST .../resubmission`.
    `cn.ipmarket.registry.tech_contract.details_changed.v1` is published (without the
    values typed).

    Refusals: 404 `tech-contract-registration-not-found` for a registration the caller
    may not see; 403 `not-the-seller` for its buyer; 409 `registration-version-stale`
    when it changed since it was read; 409 `registration-invalid-transition` once
    submitted or registered; 422 `technology-value-above-contract-value`; 422
    `registration-party-unknown` for a party index it does not have."""
    command = CorrectDetails(
        registration_id,
        body.version,
        RegistrationDetails(
            contract_value=body.contract_value,
            technology_value=body.technology_value,
            technical_field=body.technical_field,
            signed_on=body.signed_on,
            period_end=body.period_end,
            parties=tuple((p.index, p.country, p.region_code) for p in body.parties),
        ),
    )
    registration = await service.correct_details(uow, principal, command)
    await uow.commit()
    get_runtime(request).wake("registration-submit")
    return _public(registration)


@router.post(
    "/tech-contract-registrations/{registration_id}/resubmission",
    response_model=schemas.TechContractRegistrationPublic,
    summary="不予登记后重新提交 Resubmit a refused registration (卖方)",
)
async def resubmit(
    registration_id: RegistrationIdPath,
    body: schemas.ResubmissionRequest,
    uow: UnitOfWorkDep,
    principal: Seller,
    request: Request,
) -> schemas.TechContractRegistrationPublic:
    """登记机构不予登记后，卖方更正信息并重新提交。

    After the office refused the contract and the seller corrected it (`PATCH`), the
    seller sends it again: a new submission to the office. The registration becomes
    `ready` (or `awaiting_details` if something is still missing).
    `cn.ipmarket.registry.tech_contract.resubmitted.v1` is published.

    Refusals: 404, 403 and 409 `registration-version-stale` as for `PATCH`; 409
    `registration-invalid-transition` unless the registration is `refused`."""
    registration = await service.resubmit(uow, principal, Resubmit(registration_id, body.version))
    await uow.commit()
    get_runtime(request).wake("registration-submit")
    return _public(registration)


def _public(registration: TechContractRegistration) -> schemas.TechContractRegistrationPublic:
    return schemas.TechContractRegistrationPublic.model_validate(
        {
            **asdict(registration),
            "contract_category": registration.category,
            "registration_due": registration.registration_due,
        }
    )
