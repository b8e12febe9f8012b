"""The catalogue view's use cases: listing's patents as registrations need them."""

from __future__ import annotations

from registry_sync.catalogue.commands import CataloguePatent, ChangePatentIndustries
from registry_sync.catalogue.repository import CatalogueRepository
from registry_sync.domain.catalogue import CataloguedPatent
from shared.db.uow import UnitOfWork


async def catalogue_patent(uow: UnitOfWork, command: CataloguePatent) -> None:
    await CatalogueRepository(uow.session).put(
        CataloguedPatent(
            application_number=command.application_number,
            patent_number=command.patent_number,
            title=command.title,
            patent_kind=command.patent_kind,
            ipc_codes=command.ipc_codes,
            industry_codes=command.industry_codes,
        )
    )


async def change_industries(uow: UnitOfWork, command: ChangePatentIndustries) -> None:
    # A change for a patent not catalogued yet is dropped: its registration (or
    # restatement) carries the codes in force.
    await CatalogueRepository(uow.session).set_industries(
        command.application_number, list(command.industry_codes)
    )
