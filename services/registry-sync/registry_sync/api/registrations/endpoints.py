"""Registry-sync endpoints: thin — parse, call the service, shape the response."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query

from registry_sync.api.deps import Caller
from registry_sync.api.registrations import schemas
from registry_sync.domain.registration import TechContractRegistration
from registry_sync.registrations import service
from shared.domain import ApplicationNumber
from shared.http.dependencies import PageDep, UnitOfWorkDep
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr

router = APIRouter(tags=["tech-contract-registrations"], route_class=StrictRoute)


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
    """Registrations recorded for granted licences, newest first. The operator and
    regulators see all; any other organisation sees those where its USCC is the seller
    or the buyer."""
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
    summary="Get one technology-contract registration",
)
async def get_registration(
    registration_id: Annotated[str, Path(max_length=36)], uow: UnitOfWorkDep, principal: Caller
) -> schemas.TechContractRegistrationPublic:
    """One registration; visible to its seller, its buyer, the operator and regulators."""
    return _public(await service.get_registration(uow, principal, registration_id))


def _public(registration: TechContractRegistration) -> schemas.TechContractRegistrationPublic:
    return schemas.TechContractRegistrationPublic.model_validate(
        {
            **asdict(registration),
            "contract_category": registration.category,
            "registration_due": registration.registration_due,
        }
    )
