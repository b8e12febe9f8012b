"""Registry-sync's Kafka handlers: each event becomes a command for a use case."""

from __future__ import annotations

from registry_sync.registrations import service
from registry_sync.registrations.commands import RecordLicenseContract
from shared.db.uow import UnitOfWork
from shared.events.schemas import LicenseGranted
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
