"""Restatement jobs, loaded and saved as domain :class:`RestatementJob` objects."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from listing.domain.restatement import RestatementJob, RestatementState
from listing.restatements import mapping
from listing.restatements.models import PatentRestatementJobRecord
from shared.db.rows import loaded_row


class RestatementJobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, job: RestatementJob) -> None:
        self.session.add(mapping.job_record(job))

    async def get(self, job_id: str) -> RestatementJob | None:
        record = await self.session.get(PatentRestatementJobRecord, job_id)
        return None if record is None else mapping.to_job(record)

    async def next_for_update(self) -> RestatementJob | None:
        """The oldest unfinished job, its row locked; None if there is none or another
        instance holds it (SKIP LOCKED: it is doing the batch)."""
        query = (
            select(PatentRestatementJobRecord)
            .where(col(PatentRestatementJobRecord.state) != RestatementState.DONE.value)
            .order_by(col(PatentRestatementJobRecord.created_at))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else mapping.to_job(record)

    async def save(self, job: RestatementJob) -> None:
        record = await loaded_row(self.session, PatentRestatementJobRecord, job.job_id)
        assert record is not None, "save() follows next_for_update()"
        mapping.write_job(record, job)
        self.session.add(record)
