"""Registry-sync's Kafka handlers: each event becomes a command for a use case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from registry_sync.catalogue import service as catalogue
from registry_sync.catalogue.commands import CataloguePatent, ChangePatentIndustries
from registry_sync.domain.patent_office import OfficeParty
from registry_sync.domain.reconciliation import FilingType
from registry_sync.filings.commands import RecordFilingFacts
from registry_sync.filings.service import record_filing_facts
from registry_sync.recordals import service as recordals
from registry_sync.recordals.commands import FileLicense, RegisterTransfer
from registry_sync.registrations import service
from registry_sync.registrations.commands import (
    DeriveFromCatalogue,
    NamedParty,
    RecordLicenseContract,
    RecordLicenseFiling,
    RecordTransferContract,
)
from shared.db.uow import UnitOfWork
from shared.domain import ApplicationNumber
from shared.events.schemas import (
    LicenseFiled,
    LicenseGranted,
    OrgRef,
    PatenteeRef,
    PatentIndustriesChanged,
    PatentRegistered,
    TransferAgreed,
    TransferRecorded,
)
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-registry-sync"
router = EventRouter()
# A registration that became ready is submitted at once, not at the next interval.
WAKES = frozenset({"registration-submit"})


def _named(orgs: list[OrgRef]) -> tuple[NamedParty, ...]:
    return tuple(NamedParty(org.name, org.uscc) for org in orgs)


@router.on(LicenseGranted)
async def on_license_granted(event: LicenseGranted, _: EventContext, uow: UnitOfWork) -> None:
    await service.record_for_license(
        uow,
        RecordLicenseContract(
            license_id=event.license_id,
            application_number=event.application_number,
            patent_number=event.patent_number,
            license_kind=event.kind.value,
            deal_id=event.deal_id,
            licensors=_named(event.licensors),
            licensee=NamedParty(event.licensee.name, event.licensee.uscc),
            contract_value=event.contract_value,
            currency=event.currency,
            effective_date=event.effective_date,
            term_end=event.term_end,
        ),
    )


@router.on(LicenseFiled)
async def on_license_filed(event: LicenseFiled, _: EventContext, uow: UnitOfWork) -> None:
    await service.record_filing(
        uow, RecordLicenseFiling(event.license_id, event.filing_number, event.filed_on)
    )


@router.on(TransferAgreed)
async def on_transfer_signed(event: TransferAgreed, _: EventContext, uow: UnitOfWork) -> None:
    await service.record_for_transfer(
        uow,
        RecordTransferContract(
            deal_id=event.deal_id,
            application_number=event.application_number,
            patent_number=event.patent_number,
            transferors=_named(list(event.transferors)),
            transferees=_named(list(event.transferees)),
            contract_value=event.contract_value,
            currency=event.currency,
            signed_on=event.signed_on,
        ),
    )


@router.on(PatentRegistered)
async def on_patent_registered(event: PatentRegistered, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.catalogue_patent(
        uow,
        CataloguePatent(
            application_number=event.application_number,
            patent_number=event.patent_number,
            title=event.title,
            patent_kind=event.patent_type,
            ipc_codes=tuple(event.ipc_codes),
            industry_codes=tuple(event.industry_codes),
        ),
    )
    await service.derive_from_catalogue(uow, DeriveFromCatalogue(event.application_number))


@router.on(PatentIndustriesChanged)
async def on_industries_changed(
    event: PatentIndustriesChanged, _: EventContext, uow: UnitOfWork
) -> None:
    await catalogue.change_industries(
        uow, ChangePatentIndustries(event.application_number, tuple(event.industry_codes))
    )
    await service.derive_from_catalogue(uow, DeriveFromCatalogue(event.application_number))


# -- recordals with the patent office: their own group, so a slow office never holds up
# the registrations. ---------------------------------------------------------------------

RECORDALS_GROUP_ID = "ipmarket-registry-sync-recordals"
recordals_router = EventRouter()


def _office_party(org: OrgRef) -> OfficeParty:
    return OfficeParty(org.name, org.uscc)


@recordals_router.on(LicenseGranted)
async def on_license_in_force(event: LicenseGranted, _: EventContext, uow: UnitOfWork) -> None:
    await recordals.file_license(
        uow,
        FileLicense(
            license_id=event.license_id,
            application_number=event.application_number,
            patent_number=event.patent_number,
            licensors=tuple(_office_party(o) for o in event.licensors),
            licensee=_office_party(event.licensee),
            kind=event.kind.value,
            effective_date=event.effective_date,
            term_end=event.term_end,
            contract_value=event.contract_value,
        ),
    )


def _transfer_party(ref: PatenteeRef) -> OfficeParty:
    return OfficeParty(ref.name, ref.uscc, ref.share)


@recordals_router.on(TransferAgreed)
async def on_transfer_agreed(event: TransferAgreed, _: EventContext, uow: UnitOfWork) -> None:
    """License publishes it once both parties signed and every pledgee consented: the
    transfer awaits its recordal."""
    await recordals.register_transfer(
        uow,
        RegisterTransfer(
            deal_id=event.deal_id,
            application_number=event.application_number,
            patent_number=event.patent_number,
            transferors=tuple(_transfer_party(p) for p in event.transferors),
            transferees=tuple(_transfer_party(p) for p in event.transferees),
            signed_on=event.signed_on,
            contract_value=event.contract_value,
        ),
    )


# The filings view (filings/): what the patent office holds of each licence and transfer,
# for the daily reconciliation. A group of its own, so its backlog never delays the
# registrations.
FILINGS_GROUP_ID = "ipmarket-registry-sync-filings"
filings_router = EventRouter()


def _parties(orgs: Sequence[OrgRef]) -> list[dict[str, Any]]:
    return [{"org_id": o.org_id, "name": o.name, "uscc": o.uscc} for o in orgs]


def _number(raw: str) -> str:
    # A number that is no application number fails the handler: the event goes to the
    # dead-letter topic with the reason.
    return ApplicationNumber.parse(raw).value


@filings_router.on(LicenseGranted)
async def on_license_granted_filing(
    event: LicenseGranted, _: EventContext, uow: UnitOfWork
) -> None:
    await record_filing_facts(
        uow,
        RecordFilingFacts(
            source_reference=event.license_id,
            filing_type=FilingType.LICENSE,
            application_number=_number(event.application_number),
            patent_number=event.patent_number,
            license_kind=event.kind.value,
            sellers=_parties(event.licensors),
            buyers=_parties([event.licensee]),
            contract_value=event.contract_value,
            started_on=event.effective_date,
        ),
    )


@filings_router.on(LicenseFiled)
async def on_license_filed_filing(event: LicenseFiled, _: EventContext, uow: UnitOfWork) -> None:
    await record_filing_facts(
        uow,
        RecordFilingFacts(
            source_reference=event.license_id,
            filing_type=FilingType.LICENSE,
            application_number=_number(event.application_number),
            patent_number=event.patent_number,
            license_kind=event.kind.value,
            sellers=_parties(event.licensors),
            buyers=_parties([event.licensee]),
            filing_number=event.filing_number,
            filed_on=event.filed_on,
        ),
    )


@filings_router.on(TransferAgreed)
async def on_transfer_agreed_filing(
    event: TransferAgreed, _: EventContext, uow: UnitOfWork
) -> None:
    await record_filing_facts(
        uow,
        RecordFilingFacts(
            source_reference=event.deal_id,
            filing_type=FilingType.TRANSFER,
            application_number=_number(event.application_number),
            patent_number=event.patent_number,
            sellers=_parties(event.transferors),
            buyers=_parties(event.transferees),
            contract_value=event.contract_value,
            started_on=event.signed_on,
        ),
    )


@filings_router.on(TransferRecorded)
async def on_transfer_recorded(event: TransferRecorded, _: EventContext, uow: UnitOfWork) -> None:
    await record_filing_facts(
        uow,
        RecordFilingFacts(
            source_reference=event.deal_id,
            filing_type=FilingType.TRANSFER,
            application_number=_number(event.application_number),
            patent_number=event.patent_number,
            sellers=_parties(event.transferors),
            buyers=_parties(event.transferees),
            contract_value=event.contract_value,
            filing_number=event.recordal_number,
            filed_on=event.recorded_on,
        ),
    )
