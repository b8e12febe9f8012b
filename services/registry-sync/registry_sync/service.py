"""Registry-sync use cases. Services never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from datetime import datetime

from registry_sync.domain.errors import NotAParty
from registry_sync.domain.registration import (
    RegistrationStatus,
    TechContractRegistration,
    category_for_license,
)
from registry_sync.models import TechContractRegistrationRecord
from registry_sync.repository import RegistrySyncRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain.calendar import today_in_shanghai
from shared.errors import NotFound
from shared.events.schemas import LicenseGranted, TechContractRegistrationRecorded

# Organisations that see every registration.
OVERSIGHT = frozenset({OrgType.OPERATOR, OrgType.REGULATOR})


async def record_for_license(uow: UnitOfWork, event: LicenseGranted) -> None:
    """A granted licence is a licence contract to register; once per licence."""
    seller = next((org.uscc for org in event.licensors if org.uscc), None)
    registration = TechContractRegistration(
        id=str(uuid.uuid4()),
        source_reference=event.license_id,
        application_number=event.application_number,
        category=category_for_license(),
        seller_uscc=seller,
        buyer_uscc=event.licensee.uscc,
        contract_value=event.contract_value,
        effective_date=event.effective_date,
        recorded_on=today_in_shanghai(),
    )
    record = TechContractRegistrationRecord(
        id=registration.id,
        source_reference=registration.source_reference,
        application_number=registration.application_number,
        contract_category=registration.category.value,
        seller_uscc=registration.seller_uscc,
        buyer_uscc=registration.buyer_uscc,
        contract_value=registration.contract_value,
        currency=event.currency,
        status=RegistrationStatus.PENDING_SUBMISSION.value,
        effective_date=registration.effective_date,
        recorded_on=registration.recorded_on,
        registration_due=registration.registration_due,
    )
    if not await RegistrySyncRepository(uow.session).add_if_new(record):
        return  # the licence already has its registration
    uow.emit(
        TechContractRegistrationRecorded(
            registration_id=record.id,
            application_number=record.application_number,
            contract_category=record.contract_category,
            source_reference=record.source_reference,
            seller_uscc=record.seller_uscc,
            buyer_uscc=record.buyer_uscc,
            contract_value=record.contract_value,
            currency=record.currency,
            status=record.status,
            recorded_on=record.recorded_on,
        )
    )


async def get_registration(
    uow: UnitOfWork, principal: Principal, registration_id: str
) -> TechContractRegistrationRecord:
    record = await RegistrySyncRepository(uow.session).get(registration_id)
    if record is None:
        raise NotFound(f"technology-contract registration {registration_id} does not exist")
    if principal.org_type not in OVERSIGHT and principal.uscc not in (
        record.seller_uscc,
        record.buyer_uscc,
    ):
        raise NotAParty("this registration is visible to its seller, buyer, operator and regulator")
    return record


async def list_registrations(
    uow: UnitOfWork,
    principal: Principal,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    application_number: str | None,
    source_reference: str | None,
) -> list[TechContractRegistrationRecord]:
    party = None if principal.org_type in OVERSIGHT else (principal.uscc or "-")
    return await RegistrySyncRepository(uow.session).list(
        limit=limit,
        after=after,
        application_number=application_number,
        source_reference=source_reference,
        party_uscc=party,
    )
