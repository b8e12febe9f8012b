"""Registry-sync use cases. Services never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from datetime import datetime

from registry_sync.domain.errors import NotAParty
from registry_sync.domain.registration import TechContractRegistration, category_for_license
from registry_sync.registrations.commands import RecordLicenseContract
from registry_sync.registrations.repository import RegistrySyncRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.schemas import TechContractRegistrationRecorded

# Organisations that see every registration.
OVERSIGHT = frozenset({OrgType.OPERATOR, OrgType.REGULATOR})


async def record_for_license(uow: UnitOfWork, command: RecordLicenseContract) -> None:
    """A granted licence is a licence contract to register; once per licence."""
    registration = TechContractRegistration(
        id=str(uuid.uuid4()),
        source_reference=command.license_id,
        application_number=command.application_number,
        category=category_for_license(),
        seller_uscc=command.seller_uscc,
        buyer_uscc=command.buyer_uscc,
        contract_value=command.contract_value,
        currency=command.currency,
        effective_date=command.effective_date,
        recorded_on=uow.clock.today(),
        created_at=uow.clock.now(),
    )
    if not await RegistrySyncRepository(uow.session).add_if_new(registration):
        return  # the licence already has its registration
    uow.emit(
        TechContractRegistrationRecorded(
            registration_id=registration.id,
            application_number=registration.application_number,
            contract_category=registration.category.value,
            source_reference=registration.source_reference,
            seller_uscc=registration.seller_uscc,
            buyer_uscc=registration.buyer_uscc,
            contract_value=registration.contract_value,
            currency=registration.currency,
            status=registration.status.value,
            recorded_on=registration.recorded_on,
        )
    )


async def get_registration(
    uow: UnitOfWork, principal: Principal, registration_id: str
) -> TechContractRegistration:
    registration = await RegistrySyncRepository(uow.session).get(registration_id)
    if registration is None:
        raise NotFound(f"technology-contract registration {registration_id} does not exist")
    if principal.org_type not in OVERSIGHT and principal.uscc not in (
        registration.seller_uscc,
        registration.buyer_uscc,
    ):
        raise NotAParty("this registration is visible to its seller, buyer, operator and regulator")
    return registration


async def list_registrations(
    uow: UnitOfWork,
    principal: Principal,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    application_number: str | None,
    source_reference: str | None,
) -> list[TechContractRegistration]:
    party = None if principal.org_type in OVERSIGHT else (principal.uscc or "-")
    return await RegistrySyncRepository(uow.session).list(
        limit=limit,
        after=after,
        application_number=application_number,
        source_reference=source_reference,
        party_uscc=party,
    )
