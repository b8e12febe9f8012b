"""Restricted parties (信用监管): kept from the license service's credit events, and
asked by the use cases that a restriction bears on. Use cases never commit."""

from __future__ import annotations

from collections.abc import Iterable

from listing.catalogue.repository import PatentRepository
from listing.declarations.repository import DeclarationRepository
from listing.domain.declaration import (
    IN_FORCE,
    DeclarationStatus,
    FeeReduction,
    OpenLicenseDeclaration,
)
from listing.domain.errors import DeclarationPartyRestricted
from listing.domain.restriction import PartyRestriction
from listing.restrictions.commands import ImposeRestriction, LiftRestriction
from listing.restrictions.repository import RestrictionRepository
from shared.db.uow import UnitOfWork
from shared.events.schemas import DeclarationFeeReductionChanged

# Declarations whose annual-fee reduction follows their patentees' restrictions: every
# one not ended (a draft shows what it would get); only one in force announces a flip.
NOT_ENDED = frozenset(
    {
        DeclarationStatus.DRAFT,
        DeclarationStatus.SUBMITTED,
        DeclarationStatus.SUSPENDED,
        *IN_FORCE,
    }
)


async def impose(uow: UnitOfWork, command: ImposeRestriction) -> None:
    repo = RestrictionRepository(uow.session)
    restriction = await repo.get_for_update(command.record_id) or PartyRestriction(
        command.record_id, command.party_uscc, command.party_name
    )
    restriction.impose(command.restricted_from, command.restricted_until)
    await repo.save(restriction, uow.clock.now())
    if not restriction.in_force(uow.clock.today()):
        return
    declarations = DeclarationRepository(uow.session)
    for declaration in await declarations.of_patentee(command.party_uscc, NOT_ENDED):
        if declaration.withhold_fee_reduction(command.record_id):
            await declarations.save(declaration)
            _announce_fee_reduction(uow, declaration, command.record_id)


async def lift(uow: UnitOfWork, command: LiftRestriction) -> None:
    """Kept even for a record never seen imposed: its late imposition stays lifted."""
    repo = RestrictionRepository(uow.session)
    restriction = await repo.get_for_update(command.record_id) or PartyRestriction(
        command.record_id, command.party_uscc, command.party_name
    )
    restriction.lift()
    await repo.save(restriction, uow.clock.now())
    declarations = DeclarationRepository(uow.session)
    patents = PatentRepository(uow.session)
    for declaration in await declarations.of_patentee(command.party_uscc, NOT_ENDED):
        if declaration.fee_reduction_withheld_by != command.record_id:
            continue
        patent = await patents.get(declaration.application_number)
        usccs = [p.uscc for p in patent.patentees if p.uscc] if patent else []
        others = await restrictions_in_force(uow, usccs)
        still = others[0].record_id if others else None
        restored = declaration.restore_fee_reduction(command.record_id, still)
        await declarations.save(declaration)
        if restored:
            _announce_fee_reduction(uow, declaration, command.record_id)


async def restrictions_in_force(uow: UnitOfWork, usccs: Iterable[str]) -> list[PartyRestriction]:
    today = uow.clock.today()
    found = await RestrictionRepository(uow.session).of_parties(usccs)
    return [r for r in found if r.in_force(today)]


async def refuse_restricted_declarant(
    uow: UnitOfWork, usccs: Iterable[str | None], application_number: str
) -> None:
    """A patent whose patentee is restricted by a credit record in force may not be
    declared for open licensing (neither drafted nor announced)."""
    restricted = await restrictions_in_force(uow, [u for u in usccs if u])
    if restricted:
        first = restricted[0]
        raise DeclarationPartyRestricted(
            f"{first.party_name} ({first.party_uscc}), a patentee of {application_number}, "
            f"is restricted by credit record {first.record_id} until {first.restricted_until}",
            record_id=first.record_id,
        )


def _announce_fee_reduction(
    uow: UnitOfWork, declaration: OpenLicenseDeclaration, record_id: str
) -> None:
    """Connected platforms learn of a flip on a declaration in force; a draft's is only
    shown on it."""
    if declaration.status not in IN_FORCE:
        return
    state = declaration.annual_fee_reduction
    uow.emit(
        DeclarationFeeReductionChanged(
            declaration_id=declaration.id,
            application_number=declaration.application_number,
            annual_fee_reduction="withheld" if state is FeeReduction.WITHHELD else "eligible",
            record_id=record_id,
            changed_at=uow.clock.now(),
        )
    )
