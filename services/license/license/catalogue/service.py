"""Catalogue view use cases: learn listing's patents from its events and restatements,
whatever their order of arrival (domain.catalogue), and fail the deals a patent's lapse
or change of owner ends. Services never commit; the caller's unit of work does."""

from __future__ import annotations

from license.catalogue.commands import ChangeOwner, ChangePatentStatus, RestatePatent
from license.catalogue.repository import CatalogueRepository
from license.deals.contracts import fail_unfinished_deals
from license.domain.catalogue import CataloguedPatent
from shared.db.uow import UnitOfWork


def catalogue(uow: UnitOfWork) -> CatalogueRepository:
    return CatalogueRepository(uow.session)


async def _view(repo: CatalogueRepository, application_number: str) -> CataloguedPatent:
    found = await repo.get(application_number, lock="update")
    return found or CataloguedPatent(application_number)


async def restate_patent(uow: UnitOfWork, command: RestatePatent) -> None:
    repo = catalogue(uow)
    patent = await _view(repo, command.application_number)
    if patent.restate(command.facts, command.patentees, command.status, command.as_of):
        await repo.save(patent)


async def change_patent_status(uow: UnitOfWork, command: ChangePatentStatus) -> None:
    repo = catalogue(uow)
    patent = await _view(repo, command.application_number)
    if not patent.change_status(command.status, command.as_of):
        return
    await repo.save(patent)
    invalid = patent.invalidity()
    if invalid is not None:
        await fail_unfinished_deals(
            uow, command.application_number, f"patent {command.application_number}: {invalid}"
        )


async def change_owner(uow: UnitOfWork, command: ChangeOwner) -> None:
    repo = catalogue(uow)
    patent = await _view(repo, command.application_number)
    if not patent.change_patentees(command.patentees, command.as_of):
        return
    await repo.save(patent)
    owners = "、".join(p.name for p in command.patentees)
    # A deal's own transfer is recorded before its owner change arrives: only the
    # others are still unfinished.
    await fail_unfinished_deals(
        uow,
        command.application_number,
        f"patent {command.application_number} changed owner (now {owners})",
    )
