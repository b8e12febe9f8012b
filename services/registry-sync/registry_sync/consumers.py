"""Registry-sync's Kafka handlers."""

from __future__ import annotations

from registry_sync import service
from shared.db.uow import UnitOfWork
from shared.events.schemas import LicenseGranted
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-registry-sync"
router = EventRouter()


@router.on(LicenseGranted)
async def on_license_granted(event: LicenseGranted, _: EventContext, uow: UnitOfWork) -> None:
    await service.record_for_license(uow, event)
