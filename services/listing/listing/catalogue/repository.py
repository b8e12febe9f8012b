"""Catalogued patents: loaded and saved as domain :class:`Patent` objects."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from listing import mapping
from listing.domain.patent import Patent
from listing.models import PatentRecord
from shared.db.rows import loaded_row


class PatentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, application_number: str) -> Patent | None:
        record = await self._record(application_number, for_update=False)
        return None if record is None else mapping.to_patent(record)

    async def get_for_update(self, application_number: str) -> Patent | None:
        """The patent, its row locked: declarations and encumbrance changes of one patent
        serialise on it."""
        record = await self._record(application_number, for_update=True)
        return None if record is None else mapping.to_patent(record)

    async def lock(self, application_number: str) -> None:
        """Lock the patent's row without loading it into a domain object."""
        await self._record(application_number, for_update=True)

    async def add(self, patent: Patent, registered_by: str, now: datetime) -> bool:
        """Insert; False if the application number is already catalogued."""
        values = mapping.catalogue_values(patent, registered_by, now)
        result = await self.session.execute(
            insert(PatentRecord)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["application_number"])
            .returning(col(PatentRecord.application_number))
        )
        return result.first() is not None

    async def save(self, patent: Patent, *, updated_at: datetime | None = None) -> None:
        """Write the patent back into its row (loaded before: no second read)."""
        record = await loaded_row(self.session, PatentRecord, patent.application_number.value)
        assert record is not None, "save() follows get_for_update()"
        mapping.update_patent_record(record, patent)
        if updated_at is not None:
            record.updated_at = updated_at
        self.session.add(record)

    async def page(self, limit: int, after: str | None) -> list[Patent]:
        query = select(PatentRecord).order_by(PatentRecord.application_number).limit(limit)
        if after is not None:
            query = query.where(PatentRecord.application_number > after)
        return [mapping.to_patent(r) for r in (await self.session.execute(query)).scalars()]

    async def page_for_update(self, limit: int, after: str | None) -> list[Patent]:
        """The next ``limit`` patents after ``after`` in application-number order, their
        rows locked (a pass over the whole catalogue, batch by batch)."""
        query = select(PatentRecord).order_by(PatentRecord.application_number).limit(limit)
        if after is not None:
            query = query.where(PatentRecord.application_number > after)
        records = (await self.session.execute(query.with_for_update())).scalars()
        return [mapping.to_patent(r) for r in records]

    async def page_for_share(self, limit: int, after: str | None) -> list[Patent]:
        """The next ``limit`` patents after ``after`` in application-number order, their
        rows locked FOR SHARE: a change to one of them waits for the caller's commit."""
        query = select(PatentRecord).order_by(PatentRecord.application_number).limit(limit)
        if after is not None:
            query = query.where(PatentRecord.application_number > after)
        records = (await self.session.execute(query.with_for_update(read=True))).scalars()
        return [mapping.to_patent(r) for r in records]

    async def past_their_term(self, today: date, limit: int) -> list[Patent]:
        """Patents still valid whose term ended before ``today``, oldest term first, their
        rows locked; rows another instance holds are skipped (each lapses once)."""
        query = (
            select(PatentRecord)
            .where(
                col(PatentRecord.legal_status) == "valid",
                col(PatentRecord.expiry_date) < today,
            )
            .order_by(col(PatentRecord.expiry_date), col(PatentRecord.application_number))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [mapping.to_patent(r) for r in (await self.session.execute(query)).scalars()]

    async def _record(self, application_number: str, *, for_update: bool) -> PatentRecord | None:
        query = select(PatentRecord).where(PatentRecord.application_number == application_number)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()
