"""Every query of the recordals: loaded and saved as :class:`Recordal`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_, select

from registry_sync.domain.recordal import OPEN_STATUSES, Recordal
from registry_sync.recordals.mapping import to_record, to_recordal
from registry_sync.recordals.models import PatentOfficeRecordalRecord as R


class RecordalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_if_new(self, recordal: Recordal) -> bool:
        """Insert unless the licence or deal already has its recordal; True if inserted."""
        result = await self.session.execute(
            insert(R)
            .values(**to_record(recordal).model_dump())
            .on_conflict_do_nothing(index_elements=["source_reference"])
            .returning(col(R.id))
        )
        return result.first() is not None

    async def get(self, recordal_id: str, *, lock: bool = False) -> Recordal | None:
        query = select(R).where(col(R.id) == recordal_id)
        if lock:
            query = query.with_for_update()
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else to_recordal(record)

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Recordal]:
        """Open recordals due now and not leased to another worker, leased to this one
        until ``lease_until`` (rows other workers hold are skipped)."""
        query = (
            select(R)
            .where(
                col(R.status).in_([s.value for s in OPEN_STATUSES]),
                or_(col(R.next_attempt_at).is_(None), col(R.next_attempt_at) <= now),
                or_(col(R.leased_until).is_(None), col(R.leased_until) <= now),
            )
            .order_by(col(R.next_attempt_at).asc().nulls_first(), col(R.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        records = list((await self.session.execute(query)).scalars())
        if records:
            await self.session.execute(
                update(R)
                .where(col(R.id).in_([r.id for r in records]))
                .values(leased_until=lease_until)
            )
        return [to_recordal(r) for r in records]

    async def save(self, recordal: Recordal) -> None:
        """Store the recordal's state and release its lease."""
        values = to_record(recordal).model_dump(exclude={"id", "created_at", "leased_until"})
        await self.session.execute(
            update(R).where(col(R.id) == recordal.id).values(**values, leased_until=None)
        )

    async def list(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        application_number: str | None,
        source_reference: str | None,
        party_uscc: str | None,
    ) -> list[Recordal]:
        query = select(R).order_by(col(R.created_at).desc(), col(R.id).desc()).limit(limit)
        if application_number is not None:
            query = query.where(col(R.application_number) == application_number)
        if source_reference is not None:
            query = query.where(col(R.source_reference) == source_reference)
        if party_uscc is not None:
            query = query.where(col(R.parties_uscc).contains([party_uscc]))
        if after is not None:
            created_at, last_id = after
            query = query.where(
                or_(
                    col(R.created_at) < created_at,
                    (col(R.created_at) == created_at) & (col(R.id) < last_id),
                )
            )
        return [to_recordal(row) for row in (await self.session.execute(query)).scalars()]
