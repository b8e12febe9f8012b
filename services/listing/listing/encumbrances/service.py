"""The encumbrance view, kept from the pledge and license services' events, and the
races it settles: an act that forbids a declaration suspends one announced after it (an
exclusive or sole licence, any declaration in force), and a declaration comes back once
that act is gone. Use cases never commit."""

from __future__ import annotations

from datetime import datetime

from listing.catalogue.repository import PatentRepository
from listing.declarations.repository import DeclarationRepository
from listing.declarations.service import withdraw_offer
from listing.domain.declaration import IN_FORCE, DeclarationStatus
from listing.domain.encumbrance import Encumbrance, EncumbranceKind
from listing.encumbrances.commands import (
    RecordExclusiveLicense,
    RecordPledge,
    RecordPledgeeConsent,
    ReleaseExclusiveLicense,
    ReleasePledge,
)
from listing.encumbrances.repository import EncumbranceRepository
from shared.db.uow import UnitOfWork
from shared.domain.terms import ConsentSubject
from shared.errors import NotFound
from shared.events.schemas import DeclarationReinstated, DeclarationSuspended


async def list_encumbrances(
    uow: UnitOfWork, application_number: str, *, include_released: bool = False
) -> list[Encumbrance]:
    if await PatentRepository(uow.session).get(application_number) is None:
        raise NotFound(f"patent {application_number} is not in the catalogue")
    encumbrances = EncumbranceRepository(uow.session)
    if include_released:
        return await encumbrances.history(application_number)
    return await encumbrances.active(application_number)


async def record_pledge(uow: UnitOfWork, command: RecordPledge) -> None:
    """Keep the pledge in the encumbrance view. A declaration announced after the pledge
    took effect, without the pledgee's consent, is suspended (the pledge came first)."""
    patents, encumbrances = PatentRepository(uow.session), EncumbranceRepository(uow.session)
    pledge = Encumbrance(
        EncumbranceKind.PLEDGE,
        command.pledge_id,
        command.pledgee,
        command.open_license_consented,
        command.registered_on,
    )
    for number in command.application_numbers:
        await patents.lock(number)
        await encumbrances.upsert(number, pledge, uow.clock.now())
        if not command.open_license_consented:
            await _suspend_declarations_announced_after(
                uow,
                number,
                act_at=command.registered_at,
                reference=command.pledge_id,
                reason=(
                    f"pledge {command.pledge_id} to {command.pledgee} was registered at "
                    f"{command.registered_at.isoformat()}, before the declaration was "
                    "announced, and the pledgee has not consented to an open licence"
                ),
            )


async def record_pledgee_consent(uow: UnitOfWork, command: RecordPledgeeConsent) -> None:
    """Keep a pledgee's consent. To an open licence: the pledge no longer blocks one (and
    a declaration it suspended comes back); to a transfer: the transfer may be recorded."""
    patents, encumbrances = PatentRepository(uow.session), EncumbranceRepository(uow.session)
    for number in command.application_numbers:
        await patents.lock(number)
        await encumbrances.add_consent(
            pledge_id=command.pledge_id,
            application_number=number,
            consent_to=command.consent_to,
            counterparty_uscc=command.counterparty_uscc or "",
            recorded_on=command.recorded_on,
        )
        if command.consent_to is ConsentSubject.OPEN_LICENSE:
            await encumbrances.consent_to_open_license(EncumbranceKind.PLEDGE, command.pledge_id)
            await _reinstate(uow, number, command.pledge_id, f"pledgee {command.pledgee} consented")


async def release_pledge(uow: UnitOfWork, command: ReleasePledge) -> None:
    await EncumbranceRepository(uow.session).release(
        EncumbranceKind.PLEDGE, command.pledge_id, uow.clock.now()
    )
    for number in command.application_numbers:
        await _reinstate(
            uow, number, command.pledge_id, f"pledge {command.pledge_id} was cancelled"
        )


async def record_exclusive_license(uow: UnitOfWork, command: RecordExclusiveLicense) -> None:
    """Keep an exclusive or sole licence, and suspend the patent's declarations in force.

    One announced after the licence took effect must not stand. One announced before it
    crossed the licence on its way to the license service, which grants no exclusive or
    sole licence while it knows of an announced declaration: the declaration was submitted
    while the contract was being signed. The signed contract stands and the declaration,
    an offer nobody can have accepted yet (license takes no open licence beside an
    exclusive one in force), is suspended until the licence ends."""
    await PatentRepository(uow.session).lock(command.application_number)
    licence = Encumbrance(
        command.kind, command.license_id, command.licensee, False, command.effective_from
    )
    await EncumbranceRepository(uow.session).upsert(
        command.application_number, licence, uow.clock.now()
    )
    act = (
        f"{command.kind.value.replace('_', ' ')} {command.license_id} to {command.licensee} "
        f"took effect at {command.granted_at.isoformat()}"
    )
    await _suspend_declarations_announced_after(
        uow,
        command.application_number,
        act_at=command.granted_at,
        reference=command.license_id,
        reason=f"{act}, before the declaration was announced",
        crossed_reason=(
            f"{act}, signed while the declaration was announced: the two crossed between "
            "the services; the licence stands and the declaration waits for its end"
        ),
    )


async def release_exclusive_license(uow: UnitOfWork, command: ReleaseExclusiveLicense) -> None:
    """An exclusive or sole licence ended: it no longer blocks a declaration (its row
    stays, with ``released_at``), and a declaration it suspended comes back."""
    number = command.application_number
    await PatentRepository(uow.session).lock(number)
    await EncumbranceRepository(uow.session).release(
        command.kind, command.license_id, uow.clock.now()
    )
    await _reinstate(
        uow,
        number,
        command.license_id,
        f"{command.kind.value.replace('_', ' ')} {command.license_id} {command.reason} "
        f"(no longer in force from {command.ended_on})",
    )


async def _suspend_declarations_announced_after(
    uow: UnitOfWork,
    application_number: str,
    *,
    act_at: datetime,
    reference: str,
    reason: str,
    crossed_reason: str | None = None,
) -> None:
    """An act that forbids a declaration (a pledge without the pledgee's consent, an
    exclusive or sole licence) took effect at ``act_at``. A declaration announced after
    it must not stand: it is suspended with an event naming the act. One announced before
    it stands, unless the act says why it must not (``crossed_reason``)."""
    declarations = DeclarationRepository(uow.session)
    for declaration in await declarations.of_patent(application_number, IN_FORCE):
        if declaration.announced_after(act_at):
            why = reason
        elif crossed_reason is not None:
            why = crossed_reason
        else:
            continue
        if declaration.suspend(reference, why):
            await declarations.save(declaration)
            await withdraw_offer(uow, application_number)
            uow.emit(
                DeclarationSuspended(
                    declaration_id=declaration.id,
                    application_number=application_number,
                    effective_at=uow.clock.now(),
                    reason=why,
                    conflicting_reference=reference,
                )
            )


async def _reinstate(uow: UnitOfWork, application_number: str, reference: str, why: str) -> None:
    """Declarations suspended by ``reference`` come back into force once it is gone."""
    declarations = DeclarationRepository(uow.session)
    patents = PatentRepository(uow.session)
    suspended = await declarations.of_patent(application_number, {DeclarationStatus.SUSPENDED})
    for declaration in suspended:
        if declaration.suspended_by != reference or not declaration.reinstate(why):
            continue
        await declarations.save(declaration)
        patent = await patents.get_for_update(application_number)
        assert patent is not None
        patent.offer(declaration.terms.payment_mode, declaration.terms.up_front_price())
        await patents.save(patent)
        uow.emit(
            DeclarationReinstated(
                declaration_id=declaration.id,
                application_number=application_number,
                effective_at=uow.clock.now(),
                reason=why,
            )
        )
