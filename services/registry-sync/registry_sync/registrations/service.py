"""Registry-sync use cases: registrations prepared from licences and transfers, completed
by their seller, read by their parties. The office's side is in ``submission.py``.
Services never commit; the caller's unit of work does."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from registry_sync.catalogue.repository import CatalogueRepository
from registry_sync.domain.catalogue import CataloguedPatent
from registry_sync.domain.errors import (
    NotTheSeller,
    PartyOutOfRange,
    RegistrationNotFound,
    StaleVersion,
    UnknownLicense,
)
from registry_sync.domain.registration import (
    ContractParty,
    PartyRole,
    RegistrationStatus,
    SourceKind,
    TechContractRegistration,
    category_for_license,
    category_for_transfer,
    ip_type_for,
    technical_field_for,
)
from registry_sync.registrations.commands import (
    CorrectDetails,
    DeriveFromCatalogue,
    NamedParty,
    RecordLicenseContract,
    RecordLicenseFiling,
    RecordTransferContract,
    Resubmit,
)
from registry_sync.registrations.repository import RegistrySyncRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.events.schemas import (
    OrgRef,
    TechContractRegistrationDetailsChanged,
    TechContractRegistrationRecorded,
    TechContractRegistrationResubmitted,
)

# Organisations that see every registration.
OVERSIGHT = frozenset({OrgType.OPERATOR, OrgType.REGULATOR})


def event_fields(registration: TechContractRegistration) -> dict[str, Any]:
    """What every registration event says of its registration."""

    def ref(role: PartyRole, uscc: str | None) -> OrgRef | None:
        party = next((p for p in registration.parties if p.role is role and p.uscc == uscc), None)
        return None if party is None else OrgRef(name=party.name, uscc=party.uscc)

    return {
        "registration_id": registration.id,
        "application_number": registration.application_number,
        "source_reference": registration.source_reference,
        "source_kind": registration.source_kind.value,
        "contract_category": registration.category.value,
        "seller": ref(PartyRole.SELLER, registration.seller_uscc),
        "buyer": ref(PartyRole.BUYER, registration.buyer_uscc),
    }


async def record_for_license(uow: UnitOfWork, command: RecordLicenseContract) -> None:
    """A granted licence is a licence contract to register once it is filed; once per
    licence. A fixed fee is both the contract value and the technology transaction value
    (a licence of a patent alone); a running royalty's value is the licensor's estimate."""
    # The first licensor that gave its USCC registers the contract as its seller.
    seller = next((p.uscc for p in command.licensors if p.uscc), None)
    registration = TechContractRegistration(
        id=str(uuid.uuid4()),
        source_reference=command.license_id,
        source_kind=(
            SourceKind.OPEN_LICENSE if command.deal_id is None else SourceKind.NEGOTIATED_LICENSE
        ),
        application_number=command.application_number,
        patent_number=command.patent_number,
        license_kind=command.license_kind,
        category=category_for_license(),
        seller_uscc=seller,
        buyer_uscc=command.licensee.uscc,
        parties=_parties(command.licensors, (command.licensee,)),
        contract_value=command.contract_value,
        technology_value=command.contract_value,
        currency=command.currency,
        # An open licence is concluded when it takes effect; a negotiated one was signed
        # on a day its events do not say.
        signed_on=command.effective_date if command.deal_id is None else None,
        effective_date=command.effective_date,
        period_end=command.term_end,
        recorded_on=uow.clock.today(),
        created_at=uow.clock.now(),
    )
    await _prepare(uow, registration)


async def record_for_transfer(uow: UnitOfWork, command: RecordTransferContract) -> None:
    """A signed transfer is a patent-right transfer contract, registered without waiting
    for a filing; the transfer of a patent alone is all technology."""
    registration = TechContractRegistration(
        id=str(uuid.uuid4()),
        source_reference=command.deal_id,
        source_kind=SourceKind.TRANSFER,
        application_number=command.application_number,
        patent_number=command.patent_number,
        category=category_for_transfer(),
        seller_uscc=next((p.uscc for p in command.transferors if p.uscc), None),
        buyer_uscc=next((p.uscc for p in command.transferees if p.uscc), None),
        parties=_parties(command.transferors, command.transferees),
        contract_value=command.contract_value,
        technology_value=command.contract_value,
        currency=command.currency,
        signed_on=command.signed_on,
        effective_date=command.signed_on,
        recorded_on=uow.clock.today(),
        created_at=uow.clock.now(),
        status=RegistrationStatus.AWAITING_DETAILS,
    )
    await _prepare(uow, registration)


async def _prepare(uow: UnitOfWork, registration: TechContractRegistration) -> None:
    patent = await CatalogueRepository(uow.session).get(registration.application_number)
    registration = _derived(registration, patent).settled()
    if not await RegistrySyncRepository(uow.session).add_if_new(registration):
        return  # the licence or transfer already has its registration
    uow.emit(
        TechContractRegistrationRecorded(
            **event_fields(registration),
            seller_uscc=registration.seller_uscc,
            buyer_uscc=registration.buyer_uscc,
            contract_value=registration.contract_value,
            currency=registration.currency,
            status=registration.status.value,
            missing_fields=list(registration.missing_fields),
            recorded_on=registration.recorded_on,
        )
    )


def _parties(
    sellers: tuple[NamedParty, ...], buyers: tuple[NamedParty, ...]
) -> tuple[ContractParty, ...]:
    return tuple(
        [ContractParty.from_uscc(PartyRole.SELLER, p.name, p.uscc) for p in sellers]
        + [ContractParty.from_uscc(PartyRole.BUYER, p.name, p.uscc) for p in buyers]
    )


def _derived(
    registration: TechContractRegistration, patent: CataloguedPatent | None
) -> TechContractRegistration:
    """Fill the technical field and IP type from the catalogue, where still empty."""
    if patent is None:
        return registration
    return replace(
        registration,
        technical_field=registration.technical_field
        or technical_field_for(list(patent.ipc_codes), list(patent.industry_codes)),
        ip_type=registration.ip_type or ip_type_for(patent.patent_kind),
        patent_number=registration.patent_number or patent.patent_number,
    )


async def record_filing(uow: UnitOfWork, command: RecordLicenseFiling) -> None:
    repository = RegistrySyncRepository(uow.session)
    registration = await repository.by_source(command.license_id)
    if registration is None:
        raise UnknownLicense(
            f"licence {command.license_id} was filed but this service never saw it granted"
        )
    moved = registration.filed(command.filing_number, command.filed_on)
    if moved == registration:
        return  # the filing was already recorded
    await _save_and_tell(uow, moved, "filed")


async def derive_from_catalogue(uow: UnitOfWork, command: DeriveFromCatalogue) -> None:
    """Registrations that waited for the patent's catalogue entry take what it gives."""
    patent = await CatalogueRepository(uow.session).get(command.application_number)
    repository = RegistrySyncRepository(uow.session)
    for registration in await repository.preparing(command.application_number):
        derived = _derived(registration, patent).settled()
        if derived != registration:
            await _save_and_tell(uow, derived, "corrected")


async def correct_details(
    uow: UnitOfWork, principal: Principal, command: CorrectDetails
) -> TechContractRegistration:
    """The seller completes or corrects what the office needs."""
    registration = await _as_seller(uow, principal, command.registration_id, command.version)
    for index, _, _ in command.details.parties:
        if not 0 <= index < len(registration.parties):
            raise PartyOutOfRange(
                f"parties[{index}]: the registration has {len(registration.parties)} parties",
                field=f"parties[{index}]",
            )
    return await _save_and_tell(uow, registration.corrected(command.details), "corrected")


async def resubmit(
    uow: UnitOfWork, principal: Principal, command: Resubmit
) -> TechContractRegistration:
    """After a refusal, the corrected contract goes to the office again."""
    registration = await _as_seller(uow, principal, command.registration_id, command.version)
    again = registration.resubmitted()
    saved = await _save(uow, again)
    uow.emit(
        TechContractRegistrationResubmitted(
            **event_fields(saved),
            status=saved.status.value,
            missing_fields=list(saved.missing_fields),
        )
    )
    return saved


async def _as_seller(
    uow: UnitOfWork, principal: Principal, registration_id: str, version: int
) -> TechContractRegistration:
    registration = await RegistrySyncRepository(uow.session).get(registration_id, for_update=True)
    if registration is None or not _sees(principal, registration):
        raise RegistrationNotFound(_not_found(registration_id))
    if principal.uscc != registration.seller_uscc:
        raise NotTheSeller("only the seller completes, corrects and resubmits the registration")
    if registration.version != version:
        raise StaleVersion(
            f"registration {registration_id} is at version {registration.version}, not "
            f"{version}: read it again",
            field="version",
        )
    return registration


async def _save(
    uow: UnitOfWork, registration: TechContractRegistration
) -> TechContractRegistration:
    saved = await RegistrySyncRepository(uow.session).save(registration)
    if saved is None:
        raise StaleVersion(f"registration {registration.id} changed meanwhile: read it again")
    return saved


async def _save_and_tell(
    uow: UnitOfWork, registration: TechContractRegistration, cause: str
) -> TechContractRegistration:
    saved = await _save(uow, registration)
    uow.emit(
        TechContractRegistrationDetailsChanged(
            **event_fields(saved),
            cause=cause,
            status=saved.status.value,
            missing_fields=list(saved.missing_fields),
            filing_number=saved.filing_number,
        )
    )
    return saved


def _sees(principal: Principal, registration: TechContractRegistration) -> bool:
    return principal.org_type in OVERSIGHT or principal.uscc in (
        registration.seller_uscc,
        registration.buyer_uscc,
    )


def _not_found(registration_id: str) -> str:
    return f"technology-contract registration {registration_id} does not exist"


async def get_registration(
    uow: UnitOfWork, principal: Principal, registration_id: str
) -> TechContractRegistration:
    registration = await RegistrySyncRepository(uow.session).get(registration_id)
    if registration is None or not _sees(principal, registration):
        raise RegistrationNotFound(_not_found(registration_id))
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
