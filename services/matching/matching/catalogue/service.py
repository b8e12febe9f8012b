"""The catalogue's use cases: matching's view of listing's patents and needs, kept from
listing's events. A patent whose matchable facts changed is queued for the matcher.

Listing keys every event about a patent by its application number, so a patent's events
arrive in order; an event about a patent this view never saw registered (published
before matching existed and not replayed) is skipped with a log line rather than
guessed at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from matching.catalogue.commands import (
    ChangePatentIndustries,
    ChangePatentOwners,
    ChangePatentStatus,
    ChangeTier,
    CloseNeed,
    DeclareOpenLicense,
    Delist,
    EndOpenLicense,
    ListForSale,
    RecordInventory,
    RecordNeed,
    RecordPatent,
)
from matching.domain.patent import MatchablePatent, MatchSubject, TechnicalNeed
from matching.repository import MatchRequests, NeedRepository, PatentRepository
from shared.db.uow import UnitOfWork

log = logging.getLogger(__name__)


async def record_patent(uow: UnitOfWork, command: RecordPatent) -> None:
    """A registered patent (or its registration replayed): the facts are listing's."""
    patents = PatentRepository(uow.session)
    patent = await patents.get_for_update(command.application_number)
    if patent is None:
        patent = MatchablePatent(
            application_number=command.application_number,
            title=command.title,
            abstract=command.abstract,
            ipc_codes=list(command.ipc_codes),
            industry_codes=list(command.industry_codes),
            region_code=command.region_code,
            patentees=list(command.patentees),
            valid=command.valid,
        )
    else:
        patent.title, patent.abstract = command.title, command.abstract
        patent.ipc_codes = list(command.ipc_codes)
        patent.industry_codes = list(command.industry_codes)
        patent.region_code = command.region_code
        patent.patentees = list(command.patentees)
        patent.valid = command.valid
        patent.tokens = None  # the text may have changed: segment it again
    await _save(uow, patent, ask=True)


async def change_status(uow: UnitOfWork, command: ChangePatentStatus) -> None:
    await _change(uow, command.application_number, lambda p: p.change_status(valid=command.valid))


async def change_owners(uow: UnitOfWork, command: ChangePatentOwners) -> None:
    def apply(patent: MatchablePatent) -> bool:
        patent.change_owners(list(command.patentees))
        return False

    await _change(uow, command.application_number, apply)


async def change_industries(uow: UnitOfWork, command: ChangePatentIndustries) -> None:
    await _change(
        uow,
        command.application_number,
        lambda p: p.change_industries(list(command.industry_codes)),
    )


async def record_inventory(uow: UnitOfWork, command: RecordInventory) -> None:
    def apply(patent: MatchablePatent) -> bool:
        patent.record_inventory(
            willingness=command.willingness, intended_modes=list(command.intended_modes)
        )
        return True

    await _change(uow, command.application_number, apply)


async def change_tier(uow: UnitOfWork, command: ChangeTier) -> None:
    await _change(uow, command.application_number, lambda p: p.change_tier(command.tier))


async def declare_open_license(uow: UnitOfWork, command: DeclareOpenLicense) -> None:
    def apply(patent: MatchablePatent) -> bool:
        patent.declare_open_license()
        return True

    await _change(uow, command.application_number, apply)


async def end_open_license(uow: UnitOfWork, command: EndOpenLicense) -> None:
    def apply(patent: MatchablePatent) -> bool:
        patent.end_open_license()
        return False

    await _change(uow, command.application_number, apply)


async def list_for_sale(uow: UnitOfWork, command: ListForSale) -> None:
    def apply(patent: MatchablePatent) -> bool:
        patent.list_for_sale(command.listing_id)
        return True

    await _change(uow, command.application_number, apply)


async def delist(uow: UnitOfWork, command: Delist) -> None:
    await _change(uow, command.application_number, lambda p: p.delist(command.listing_id))


async def record_need(uow: UnitOfWork, command: RecordNeed) -> None:
    need = TechnicalNeed(
        need_id=command.need_id,
        requester_name=command.requester_name,
        requester_uscc=command.requester_uscc,
        requester_org_id=command.requester_org_id,
        title=command.title,
        description=command.description,
        technical_field=command.technical_field,
        ipc_codes=list(command.ipc_codes),
        industry_codes=list(command.industry_codes),
        region_code=command.region_code,
        deadline=command.deadline,
    )
    await NeedRepository(uow.session).save(need, uow.clock.now())
    await MatchRequests(uow.session).ask(MatchSubject.NEED, need.need_id, uow.clock.now())


async def close_need(uow: UnitOfWork, command: CloseNeed) -> None:
    await NeedRepository(uow.session).close(command.need_id, uow.clock.now())


async def _change(
    uow: UnitOfWork, application_number: str, apply: Callable[[MatchablePatent], bool]
) -> None:
    """Load the patent, apply the change (True: worth matching again), save."""
    patent = await PatentRepository(uow.session).get_for_update(application_number)
    if patent is None:
        log.warning(
            "event about patent %s, which matching never saw registered", application_number
        )
        return
    ask = apply(patent)
    await _save(uow, patent, ask=ask)


async def _save(uow: UnitOfWork, patent: MatchablePatent, *, ask: bool) -> None:
    await PatentRepository(uow.session).save(patent, uow.clock.now())
    # An unmatchable patent is asked for too: the matcher withdraws its matches.
    if ask:
        await MatchRequests(uow.session).ask(
            MatchSubject.PATENT, patent.application_number, uow.clock.now()
        )
