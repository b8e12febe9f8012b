"""Registry-sync's Kafka handlers: each event becomes a command for a use case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from registry_sync.domain.patent_office import OfficeParty
from registry_sync.domain.reconciliation import FilingType
from registry_sync.filings.commands import RecordFilingFacts
from registry_sync.filings.service import record_filing_facts
from registry_sync.recordals import service as recordals
from registry_sync.recordals.commands import FileLicense, RegisterTransfer
from registry_sync.registrations import service
from registry_sync.registrations.commands import RecordLicenseContract
from shared.db.uow import UnitOfWork
from shared.domain import ApplicationNumber
from shared.events.schemas import (
    LicenseFiled,
    LicenseGranted,
    OrgRef,
    PatenteeRef,
    TransferAgreed,
    TransferRecorded,
)
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-registry-sync"
router = EventRouter()


@router.on(LicenseGranted)
async def on_license_granted(event: LicenseGranted, _: EventContext, uow: UnitOfWork) -> None:
    await service.record_for_license(
        uow,
        RecordLicenseContract(
            license_id=event.license_id,
            application_number=event.application_number,
            # The first licensor that gave its USCC registers the contract as its seller.
            seller_uscc=next((org.uscc for org in event.licensors if org.uscc), None),
            buyer_uscc=event.licensee.uscc,
            contract_value=event.contract_value,
            currency=event.currency,
            effective_date=event.effective_date,
        ),
    )


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
async def on_license_filed(event: LicenseFiled, _: EventContext, uow: UnitOfWork) -> None:
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
