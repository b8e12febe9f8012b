"""Pledge's Kafka handlers: its own view of the catalogue, declarations and licences."""

from __future__ import annotations

from pledge import service
from shared.db.uow import UnitOfWork
from shared.events.schemas import (
    DeclarationExpired,
    DeclarationLapsed,
    DeclarationPublished,
    DeclarationWithdrawn,
    LicenseGranted,
    PatentOwnerChanged,
    PatentRegistered,
    PatentStatusChanged,
)
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-pledge"
router = EventRouter()


@router.on(PatentRegistered)
async def on_patent_registered(event: PatentRegistered, _: EventContext, uow: UnitOfWork) -> None:
    await service.on_patent_registered(uow, event)


@router.on(PatentStatusChanged)
async def on_status_changed(event: PatentStatusChanged, _: EventContext, uow: UnitOfWork) -> None:
    await service.on_patent_status_changed(uow, event)


@router.on(PatentOwnerChanged)
async def on_owner_changed(event: PatentOwnerChanged, _: EventContext, uow: UnitOfWork) -> None:
    await service.on_patent_owner_changed(uow, event)


@router.on(DeclarationPublished)
async def on_declared(event: DeclarationPublished, _: EventContext, uow: UnitOfWork) -> None:
    await service.on_declaration(uow, event, "announced")


@router.on(DeclarationWithdrawn)
async def on_withdrawn(event: DeclarationWithdrawn, _: EventContext, uow: UnitOfWork) -> None:
    await service.on_declaration(uow, event, "withdrawn")


@router.on(DeclarationLapsed)
async def on_lapsed(event: DeclarationLapsed, _: EventContext, uow: UnitOfWork) -> None:
    await service.on_declaration(uow, event, "lapsed")


@router.on(DeclarationExpired)
async def on_expired(event: DeclarationExpired, _: EventContext, uow: UnitOfWork) -> None:
    await service.on_declaration(uow, event, "expired")


@router.on(LicenseGranted)
async def on_license_granted(event: LicenseGranted, _: EventContext, uow: UnitOfWork) -> None:
    await service.on_license_granted(uow, event)
