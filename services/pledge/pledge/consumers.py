"""Pledge's Kafka handlers: its own view of the catalogue, declarations and licences.
Each handler translates its event into a command of ``views``."""

from __future__ import annotations

from pledge.views import service
from pledge.views.commands import (
    ChangePatentOwners,
    ChangePatentStatus,
    EndTransfer,
    PatentStatus,
    RecordDeclarationStatus,
    RecordLicense,
    RecordLicenseEnd,
    RecordPatent,
    RecordTransferAgreed,
)
from shared.db.uow import UnitOfWork
from shared.events.schemas import (
    DealFailed,
    DeclarationExpired,
    DeclarationLapsed,
    DeclarationPublished,
    DeclarationWithdrawn,
    LicenseEnded,
    LicenseGranted,
    PatenteeRef,
    PatentOwnerChanged,
    PatentRegistered,
    PatentStatusChanged,
    TransferAgreed,
    TransferRecorded,
)
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-pledge"
router = EventRouter()


def _status(event: PatentRegistered | PatentStatusChanged) -> PatentStatus:
    return PatentStatus(
        legal_status=event.legal_status,
        annual_fee_status=event.annual_fee_status,
        suspended=event.suspended,
        under_preservation=event.under_preservation,
    )


def _patentees(patentees: list[PatenteeRef]) -> tuple[dict[str, object], ...]:
    return tuple(p.model_dump(mode="json") for p in patentees)


@router.on(PatentRegistered)
async def on_patent_registered(event: PatentRegistered, _: EventContext, uow: UnitOfWork) -> None:
    command = RecordPatent(
        application_number=event.application_number,
        patent_type=event.patent_type,
        title=event.title,
        patentees=_patentees(event.patentees),
        expiry_date=event.expiry_date,
        status=_status(event),
        ipc_codes=tuple(event.ipc_codes),
    )
    await service.record_patent(uow, command)


@router.on(PatentStatusChanged)
async def on_status_changed(event: PatentStatusChanged, _: EventContext, uow: UnitOfWork) -> None:
    command = ChangePatentStatus(event.application_number, _status(event))
    await service.change_patent_status(uow, command)


@router.on(PatentOwnerChanged)
async def on_owner_changed(event: PatentOwnerChanged, _: EventContext, uow: UnitOfWork) -> None:
    command = ChangePatentOwners(event.application_number, _patentees(event.patentees))
    await service.change_patent_owners(uow, command)


@router.on(DeclarationPublished)
async def on_declared(event: DeclarationPublished, _: EventContext, uow: UnitOfWork) -> None:
    command = RecordDeclarationStatus(
        event.declaration_id, event.application_number, "announced", event.announced_at
    )
    await service.record_declaration_status(uow, command)


async def _declaration_ended(
    event: DeclarationWithdrawn | DeclarationLapsed | DeclarationExpired,
    status: str,
    uow: UnitOfWork,
) -> None:
    command = RecordDeclarationStatus(event.declaration_id, event.application_number, status)
    await service.record_declaration_status(uow, command)


@router.on(DeclarationWithdrawn)
async def on_withdrawn(event: DeclarationWithdrawn, _: EventContext, uow: UnitOfWork) -> None:
    await _declaration_ended(event, "withdrawn", uow)


@router.on(DeclarationLapsed)
async def on_lapsed(event: DeclarationLapsed, _: EventContext, uow: UnitOfWork) -> None:
    await _declaration_ended(event, "lapsed", uow)


@router.on(DeclarationExpired)
async def on_expired(event: DeclarationExpired, _: EventContext, uow: UnitOfWork) -> None:
    await _declaration_ended(event, "expired", uow)


@router.on(LicenseGranted)
async def on_license_granted(event: LicenseGranted, _: EventContext, uow: UnitOfWork) -> None:
    command = RecordLicense(
        license_id=event.license_id,
        application_number=event.application_number,
        kind=event.kind.value,
        licensee_name=event.licensee.name,
        effective_date=event.effective_date,
        contract_value=event.contract_value,
    )
    await service.record_license(uow, command)


@router.on(LicenseEnded)
async def on_license_ended(event: LicenseEnded, _: EventContext, uow: UnitOfWork) -> None:
    await service.record_license_end(
        uow, RecordLicenseEnd(event.license_id, event.ended_on, event.reason)
    )


@router.on(TransferAgreed)
async def on_transfer_agreed(event: TransferAgreed, _: EventContext, uow: UnitOfWork) -> None:
    command = RecordTransferAgreed(
        deal_id=event.deal_id,
        application_number=event.application_number,
        transferees="、".join(t.name for t in event.transferees)[:1000],
        signed_on=event.signed_on,
    )
    await service.record_transfer_agreed(uow, command)


@router.on(TransferRecorded)
async def on_transfer_recorded(event: TransferRecorded, _: EventContext, uow: UnitOfWork) -> None:
    await service.end_transfer(uow, EndTransfer(event.deal_id))


@router.on(DealFailed)
async def on_deal_failed(event: DealFailed, _: EventContext, uow: UnitOfWork) -> None:
    await service.end_transfer(uow, EndTransfer(event.deal_id))
