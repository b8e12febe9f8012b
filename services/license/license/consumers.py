"""License's Kafka handlers: keep the declaration, pledge and pledgee-consent views from
listing's and the pledge service's events."""

from __future__ import annotations

from license import service
from license.domain.declaration import DeclarationStatus
from shared.db.uow import UnitOfWork
from shared.events.schemas import (
    DeclarationExpired,
    DeclarationLapsed,
    DeclarationPublished,
    DeclarationReinstated,
    DeclarationSuspended,
    DeclarationWithdrawn,
    PatentStatusChanged,
    PledgeCancelled,
    PledgeeConsentRecorded,
    PledgeRegistered,
)
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-license"
router = EventRouter()


@router.on(DeclarationPublished)
async def on_declaration_published(
    event: DeclarationPublished, _: EventContext, uow: UnitOfWork
) -> None:
    await service.record_declaration_published(uow, event)


@router.on(DeclarationWithdrawn)
async def on_declaration_withdrawn(
    event: DeclarationWithdrawn, _: EventContext, uow: UnitOfWork
) -> None:
    await service.record_declaration_withdrawn(
        uow,
        declaration_id=event.declaration_id,
        application_number=event.application_number,
        effective_at=event.effective_at,
    )


@router.on(DeclarationLapsed)
async def on_declaration_lapsed(event: DeclarationLapsed, _: EventContext, uow: UnitOfWork) -> None:
    await service.record_declaration_change(
        uow,
        declaration_id=event.declaration_id,
        application_number=event.application_number,
        change=lambda view: view.record_end(DeclarationStatus.LAPSED, event.effective_at),
    )


@router.on(DeclarationExpired)
async def on_declaration_expired(
    event: DeclarationExpired, _: EventContext, uow: UnitOfWork
) -> None:
    await service.record_declaration_change(
        uow,
        declaration_id=event.declaration_id,
        application_number=event.application_number,
        change=lambda view: view.record_end(DeclarationStatus.EXPIRED, event.effective_at),
    )


@router.on(DeclarationSuspended)
async def on_declaration_suspended(
    event: DeclarationSuspended, _: EventContext, uow: UnitOfWork
) -> None:
    await service.record_declaration_change(
        uow,
        declaration_id=event.declaration_id,
        application_number=event.application_number,
        change=lambda view: view.record_suspension(True, event.effective_at),
    )


@router.on(DeclarationReinstated)
async def on_declaration_reinstated(
    event: DeclarationReinstated, _: EventContext, uow: UnitOfWork
) -> None:
    await service.record_declaration_change(
        uow,
        declaration_id=event.declaration_id,
        application_number=event.application_number,
        change=lambda view: view.record_suspension(False, event.effective_at),
    )


@router.on(PatentStatusChanged)
async def on_patent_status_changed(
    event: PatentStatusChanged, _: EventContext, uow: UnitOfWork
) -> None:
    await service.record_patent_status(
        uow, application_number=event.application_number, legal_status=event.legal_status
    )


@router.on(PledgeRegistered)
async def on_pledge_registered(event: PledgeRegistered, _: EventContext, uow: UnitOfWork) -> None:
    await service.record_pledge(
        uow,
        pledge_id=event.pledge_id,
        application_numbers=event.application_numbers,
        pledgee=event.pledgee,
        open_license_consented=event.open_license_consented,
        registered_on=event.registered_on,
    )


@router.on(PledgeCancelled)
async def on_pledge_cancelled(event: PledgeCancelled, _: EventContext, uow: UnitOfWork) -> None:
    await service.release_pledge(
        uow,
        pledge_id=event.pledge_id,
        application_numbers=event.application_numbers,
        cancelled_on=event.cancelled_on,
    )


@router.on(PledgeeConsentRecorded)
async def on_pledgee_consent_recorded(
    event: PledgeeConsentRecorded, _: EventContext, uow: UnitOfWork
) -> None:
    await service.record_pledgee_consent(uow, event)
