"""Pledge's views of other services' data, kept from their events, and what a change
there does to registered pledges (a lapsed patent, an open licence that raced a
registration)."""

from __future__ import annotations

from dataclasses import asdict

from pledge.domain.errors import PatentUnknown
from pledge.domain.pledge import ENCUMBERING, PledgeStatus
from pledge.pledges.service import emit_pledge_event, reinstate_pledge
from pledge.repository import DECLARATION_ENDED, PledgeRepository, ViewRepository
from pledge.views.commands import (
    ChangePatentOwners,
    ChangePatentStatus,
    EndTransfer,
    RecordDeclarationStatus,
    RecordLicense,
    RecordLicenseEnd,
    RecordPatent,
    RecordTransferAgreed,
)
from shared.db.uow import UnitOfWork
from shared.domain.terms import ConsentSubject
from shared.events.schemas import PledgePatentLapsed, PledgeSuspended

# A registered pledge whose patent ends this way has lost its object (registered -> patent_lapsed).
_LAPSED = frozenset({"lapsed", "invalidated", "expired"})


async def record_patent(uow: UnitOfWork, command: RecordPatent) -> None:
    values = asdict(command)
    status = values.pop("status")
    values["patentees"] = list(command.patentees)
    values["ipc_codes"] = list(command.ipc_codes)
    await ViewRepository(uow.session).upsert_patent(values | status, at=uow.clock.now())


async def change_patent_status(uow: UnitOfWork, command: ChangePatentStatus) -> None:
    # Listing keys both events by the application number, so a status change never
    # arrives before the registration it follows; an unknown patent is a data error.
    number = command.application_number
    found = await ViewRepository(uow.session).update_patent(
        number, at=uow.clock.now(), legal_event=True, **asdict(command.status)
    )
    if not found:
        raise PatentUnknown(f"status change for unknown patent {number}")
    if command.status.legal_status in _LAPSED:
        await _pledges_lost_their_patent(uow, number, command.status.legal_status)


async def _pledges_lost_their_patent(uow: UnitOfWork, number: str, legal_status: str) -> None:
    pledges = PledgeRepository(uow.session)
    for pledge in await pledges.covering(number, ENCUMBERING):
        if pledge.status is not PledgeStatus.REGISTERED:
            # Defaulted pledges stay in their default handling; the bank decides there.
            continue
        pledge.move_to(PledgeStatus.PATENT_LAPSED)
        await pledges.save(pledge)
        emit_pledge_event(
            uow,
            pledge,
            PledgePatentLapsed(
                pledge_id=pledge.id,
                application_numbers=pledge.application_numbers,
                lapsed_application_number=number,
                legal_status=legal_status,
            ),
        )


async def change_patent_owners(uow: UnitOfWork, command: ChangePatentOwners) -> None:
    found = await ViewRepository(uow.session).update_patent(
        command.application_number, at=uow.clock.now(), patentees=list(command.patentees)
    )
    if not found:
        raise PatentUnknown(f"owner change for unknown patent {command.application_number}")


async def record_declaration_status(uow: UnitOfWork, command: RecordDeclarationStatus) -> None:
    """Keep the declaration view: only an announced declaration blocks a registration
    without the pledgee's consent; a withdrawal, lapse or expiry ends it for good.

    Races are resolved by time: a registration recorded after a declaration that was
    announced without the pledgee's consent — but reached us only now — is suspended
    (the declaration took effect first); when the declaration ends, it is reinstated."""
    await ViewRepository(uow.session).set_declaration(
        command.declaration_id, command.application_number, command.status, at=uow.clock.now()
    )
    if command.announced_at is not None:
        await _suspend_later_registrations(uow, command)
    elif command.status in DECLARATION_ENDED:
        await _reinstate(uow, command)


async def _suspend_later_registrations(uow: UnitOfWork, command: RecordDeclarationStatus) -> None:
    pledges = PledgeRepository(uow.session)
    announced_at = command.announced_at
    assert announced_at is not None
    for pledge in await pledges.covering(
        command.application_number, frozenset({PledgeStatus.REGISTERED})
    ):
        if pledge.registered_at is None or pledge.registered_at <= announced_at:
            continue  # the pledge came first: listing suspends the declaration instead
        if await pledges.has_consent(pledge.id, ConsentSubject.OPEN_LICENSE):
            continue
        pledge.suspend(command.declaration_id)
        await pledges.save(pledge)
        emit_pledge_event(
            uow,
            pledge,
            PledgeSuspended(
                pledge_id=pledge.id,
                application_numbers=pledge.application_numbers,
                declaration_id=command.declaration_id,
                reason=(
                    f"open-licence declaration {command.declaration_id} on "
                    f"{command.application_number} was announced at "
                    f"{announced_at.isoformat()}, before this registration was "
                    "recorded, and the pledgee has not consented to an open licence"
                ),
            ),
        )


async def _reinstate(uow: UnitOfWork, command: RecordDeclarationStatus) -> None:
    pledges, views = PledgeRepository(uow.session), ViewRepository(uow.session)
    for pledge in await pledges.covering(
        command.application_number, frozenset({PledgeStatus.SUSPENDED})
    ):
        if pledge.suspended_by != command.declaration_id:
            continue
        if await views.declared_numbers(pledge.application_numbers):
            continue  # another declaration still stands on one of its patents
        reason = f"declaration {command.declaration_id} {command.status}"
        await reinstate_pledge(uow, pledges, pledge, reason)


async def record_license(uow: UnitOfWork, command: RecordLicense) -> None:
    await ViewRepository(uow.session).add_license(asdict(command))


async def record_license_end(uow: UnitOfWork, command: RecordLicenseEnd) -> None:
    """Keep the end on the licence's row: it stays licensing history (valuation)."""
    await ViewRepository(uow.session).end_license(
        command.license_id, ended_on=command.ended_on, reason=command.reason
    )


async def record_transfer_agreed(uow: UnitOfWork, command: RecordTransferAgreed) -> None:
    """Keep the agreed transfer. Its patent's view row is locked, as a registration
    locks it, so a registration either sees the transfer or is recorded before it (and
    license then refuses the transfer's recordal without the pledgee's consent)."""
    views = ViewRepository(uow.session)
    await views.patents([command.application_number], for_update=True)
    await views.add_transfer(asdict(command))


async def end_transfer(uow: UnitOfWork, command: EndTransfer) -> None:
    await ViewRepository(uow.session).end_transfer(command.deal_id)
