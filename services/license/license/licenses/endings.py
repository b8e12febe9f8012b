"""How licences end: termination by the parties, rescission (解除) for breach, and the
expiry the deadline watch applies once the term has run (rules: ``domain.license_end``).
An ended licence is saved with its end, the royalty periods that start after it are
cancelled (those of its term stay owed and watched), and ``LicenseEnded`` is published so
that listing releases an exclusive or sole licence's encumbrance. Services never commit;
the caller's unit of work does."""

from __future__ import annotations

from license.domain.errors_endings import (
    RescissionByLicensee,
    RescissionGroundInvalid,
    TerminationNotAllowed,
)
from license.domain.license import PatentLicense
from license.domain.license_end import (
    PartyRole,
    RescissionGroundKind,
    TerminationConsent,
    check_in_force,
    consent_to_termination,
    expire,
    rescind,
)
from license.domain.payment import LicensePayment
from license.licenses.commands import ExpireLicenses, RescindLicense, TerminateLicense
from license.licenses.service import licensee_ref, licenses, licensor_refs, visible_license
from license.repository import LicenseRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.events.schemas import LicenseEnded


async def terminate_license(
    uow: UnitOfWork, principal: Principal, command: TerminateLicense
) -> tuple[PatentLicense, list[LicensePayment]]:
    """Record the caller's consent to terminate: the licence ends when both sides have
    consented to the same end, or at once when its licensee gives up an open licence."""
    repo = licenses(uow)
    licence = await visible_license(repo, principal, command.license_id, for_update=True)
    if licence.is_licensee(principal.org_id, principal.uscc):
        role = PartyRole.LICENSEE
    elif licence.is_licensor(principal.uscc):
        role = PartyRole.LICENSOR
    else:
        raise TerminationNotAllowed(
            f"only the licensee or a licensor of licence {licence.id} consents to its "
            "termination; the operator rescinds a licence on a court judgment instead"
        )
    consent = TerminationConsent(
        role=role,
        org_id=principal.org_id,
        name=principal.org_name,
        ended_on=command.ended_on,
        reason=command.reason,
        note=command.note,
        recorded_at=uow.clock.now(),
    )
    if consent_to_termination(licence, consent, uow.clock.today()):
        await _ended(uow, repo, licence)
    else:
        await repo.save_license(licence)
    return licence, await repo.payments_of(licence.id)


async def rescind_license(
    uow: UnitOfWork, principal: Principal, command: RescindLicense
) -> tuple[PatentLicense, list[LicensePayment]]:
    """A licensor rescinds for the licensee's breach (a breach of this licence in the
    register, or a judgment or arbitral award); the operator on a court judgment."""
    repo = licenses(uow)
    licence = await visible_license(repo, principal, command.license_id, for_update=True)
    if licence.is_licensee(principal.org_id, principal.uscc):
        raise RescissionByLicensee(
            f"the licensee of licence {licence.id} cannot rescind it: rescission (解除) is "
            "the licensor's remedy for the licensee's breach, or the operator's on a court "
            "judgment; a licensee may ask for termination by agreement or for mediation"
        )
    check_in_force(licence)
    ground = command.ground
    if ground.kind is RescissionGroundKind.BREACH and not await repo.has_breach(
        licence.id, ground.reference
    ):
        raise RescissionGroundInvalid(
            f"ground.reference: breach {ground.reference} is not recorded against licence "
            f"{licence.id} in the breach register (GET /v1/breaches?license_id={licence.id})"
        )
    rescind(
        licence,
        ground,
        command.ended_on,
        uow.clock.today(),
        note=command.note,
        by_operator=principal.org_type is OrgType.OPERATOR,
    )
    await _ended(uow, repo, licence)
    return licence, await repo.payments_of(licence.id)


async def expire_licenses(uow: UnitOfWork, command: ExpireLicenses) -> int:
    """Expire the licences in force whose term ended before ``today``; each once, even
    with several instances watching (rows locked, others skipped, the state moved in the
    transaction that stages the event). Returns how many expired."""
    repo = licenses(uow)
    expired = 0
    for licence in await repo.licenses_to_expire(today=command.today, limit=command.limit):
        if expire(licence, command.today):
            await _ended(uow, repo, licence)
            expired += 1
    return expired


async def _ended(uow: UnitOfWork, repo: LicenseRepository, licence: PatentLicense) -> None:
    assert licence.ended_on is not None
    await repo.save_license(licence)
    await repo.cancel_royalty_periods(licence.id, licence.ended_on)
    uow.emit(license_ended(licence))


def license_ended(licence: PatentLicense) -> LicenseEnded:
    # An ended licence took effect first: all three are set.
    assert licence.ended_on is not None
    assert licence.effective_date is not None
    assert licence.term_end is not None
    return LicenseEnded(
        license_id=licence.id,
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        kind=licence.kind,
        licensors=licensor_refs(licence),
        licensee=licensee_ref(licence),
        reason=licence.status.value,
        ended_on=licence.ended_on,
        effective_date=licence.effective_date,
        term_end=licence.term_end,
    )
