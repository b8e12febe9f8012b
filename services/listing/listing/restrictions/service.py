"""Restricted parties (信用监管): kept from the license service's credit events, and
asked by the use cases that a restriction bears on. Use cases never commit."""

from __future__ import annotations

from collections.abc import Iterable

from listing.domain.errors import DeclarationPartyRestricted
from listing.domain.restriction import PartyRestriction
from listing.restrictions.commands import ImposeRestriction, LiftRestriction
from listing.restrictions.repository import RestrictionRepository
from shared.db.uow import UnitOfWork


async def impose(uow: UnitOfWork, command: ImposeRestriction) -> None:
    repo = RestrictionRepository(uow.session)
    restriction = await repo.get_for_update(command.record_id) or PartyRestriction(
        command.record_id, command.party_uscc, command.party_name
    )
    restriction.impose(command.restricted_from, command.restricted_until)
    await repo.save(restriction, uow.clock.now())


async def lift(uow: UnitOfWork, command: LiftRestriction) -> None:
    """Kept even for a record never seen imposed: its late imposition stays lifted."""
    repo = RestrictionRepository(uow.session)
    restriction = await repo.get_for_update(command.record_id) or PartyRestriction(
        command.record_id, command.party_uscc, command.party_name
    )
    restriction.lift()
    await repo.save(restriction, uow.clock.now())


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
