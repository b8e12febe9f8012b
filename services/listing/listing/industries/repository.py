"""Re-derivation jobs, loaded and saved as domain :class:`RederiveJob` objects."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from listing.domain.rederive import RederiveJob, RederiveState
from listing.industries import mapping
from listing.industries.models import IndustryRederiveJobRecord
from shared.db.rows import loaded_row


class RederiveJobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, job: RederiveJob) -> None:
        self.session.add(mapping.job_record(job))

    async def get(self, job_id: str) -> RederiveJob | None:
        record = await self.session.get(IndustryRederiveJobRecord, job_id)
        return None if record is None else mapping.to_job(record)

    async def next_for_update(self, concordance_version: str) -> RederiveJob | None:
        """The oldest unfinished job of this concordance, its row locked; None if there is
        none or another instance holds it (SKIP LOCKED: it is doing the batch)."""
        query = (
            select(IndustryRederiveJobRecord)
            .where(col(IndustryRederiveJobRecord.state) != RederiveState.DONE.value)
            .where(IndustryRederiveJobRecord.concordance_version == concordance_version)
            .order_by(col(IndustryRederiveJobRecord.created_at))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else mapping.to_job(record)

    async def save(self, job: RederiveJob) -> None:
        record = await loaded_row(self.session, IndustryRederiveJobRecord, job.job_id)
        assert record is not None, "save() follows next_for_update()"
        mapping.write_job(record, job)
        self.session.add(record)
