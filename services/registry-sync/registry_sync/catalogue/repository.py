"""The catalogue view's queries: patents loaded and saved as :class:`CataloguedPatent`."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from registry_sync.catalogue.mapping import to_patent, to_record
from registry_sync.catalogue.models import CataloguedPatentRecord
from registry_sync.domain.catalogue import CataloguedPatent


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, application_number: str) -> CataloguedPatent | None:
        query = select(CataloguedPatentRecord).where(
            col(CataloguedPatentRecord.application_number) == application_number
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else to_patent(record)

    async def put(self, patent: CataloguedPatent) -> None:
        values = to_record(patent).model_dump()
        await self.session.execute(
            insert(CataloguedPatentRecord)
            .values(**values)
            .on_conflict_do_update(index_elements=["application_number"], set_=values)
        )

    async def set_industries(self, application_number: str, industry_codes: list[str]) -> bool:
        """True if the patent is catalogued (and its codes now changed)."""
        result = await self.session.execute(
            update(CataloguedPatentRecord)
            .where(col(CataloguedPatentRecord.application_number) == application_number)
            .values(industry_codes=industry_codes)
            .returning(col(CataloguedPatentRecord.application_number))
        )
        return result.first() is not None
