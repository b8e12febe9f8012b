"""The catalogue view, loaded and saved as ``CataloguedPatent``."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from license.catalogue import mapping
from license.catalogue.models import CataloguedPatentRecord
from license.domain.catalogue import CataloguedPatent
from shared.db.rows import loaded_row


class CatalogueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, application_number: str, *, lock: str | None = None
    ) -> CataloguedPatent | None:
        """``lock="update"`` for the consumers that change the view; ``lock="share"`` for
        deals, which then wait for a lapse or an owner change in progress."""
        query = select(CataloguedPatentRecord).where(
            CataloguedPatentRecord.application_number == application_number
        )
        if lock == "update":
            query = query.with_for_update()
        elif lock == "share":
            query = query.with_for_update(read=True)
        record = (await self.session.execute(query)).scalar_one_or_none()
        return mapping.catalogued_patent(record) if record else None

    async def legal_status(self, application_number: str) -> str | None:
        """The patent's legal status as listing last told it (None: not told yet)."""
        query = select(CataloguedPatentRecord.legal_status).where(
            CataloguedPatentRecord.application_number == application_number
        )
        return (await self.session.execute(query)).scalar_one_or_none()

    async def save(self, patent: CataloguedPatent) -> None:
        """Insert a new view or save one loaded by :meth:`get`. Two first events of one
        patent inserting at once: the second fails and its consumer retries the event,
        which then finds the row."""
        record = await loaded_row(self.session, CataloguedPatentRecord, patent.application_number)
        if record is None:
            self.session.add(mapping.catalogued_patent_record(patent))
        else:
            mapping.apply_catalogued_patent(record, patent)
        await self.session.flush()
