"""Registry-sync's Kafka handlers: each event becomes a command for a use case."""

from __future__ import annotations

from registry_sync.domain.patent_office import OfficeParty
from registry_sync.recordals import service as recordals
from registry_sync.recordals.commands import FileLicense, RegisterTransfer
from registry_sync.registrations import service
from registry_sync.registrations.commands import RecordLicenseContract
from shared.db.uow import UnitOfWork
from shared.events.schemas import LicenseGranted, OrgRef, PatenteeRef, TransferAgreed
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
