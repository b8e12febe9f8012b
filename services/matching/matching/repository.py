"""The repositories of the tables several areas read: patents and needs as the
catalogue keeps them, and the queue of what waits to be matched."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from matching.domain.patent import MatchablePatent, MatchSubject, TechnicalNeed
from matching.mapping import need_values, patent_values, to_patent
from matching.models import MatchRequestRecord, NeedRecord, PatentRecord


class PatentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, application_number: str) -> MatchablePatent | None:
        record = await self.session.get(PatentRecord, application_number)
        return None if record is None else to_patent(record)

    async def get_for_update(self, application_number: str) -> MatchablePatent | None:
        query = (
            select(PatentRecord)
            .where(col(PatentRecord.application_number) == application_number)
            .with_for_update()
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else to_patent(record)

    async def save(self, patent: MatchablePatent, now: datetime) -> None:
        """Insert or replace the patent's row."""
        values = {**patent_values(patent), "updated_at": now}
        statement = insert(PatentRecord).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["application_number"],
                set_={k: statement.excluded[k] for k in values if k != "application_number"},
            )
        )


class NeedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, need: TechnicalNeed, now: datetime) -> None:
        values = {**need_values(need), "updated_at": now}
        statement = insert(NeedRecord).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["need_id"],
                set_={k: statement.excluded[k] for k in values if k != "need_id"},
            )
        )

    async def close(self, need_id: str, now: datetime) -> None:
        """No longer open: the matcher passes it by (a need never recorded stays so)."""
        await self.session.execute(
            update(NeedRecord)
            .where(col(NeedRecord.need_id) == need_id)
            .values(open=False, updated_at=now)
        )


class MatchRequests:
    """The queue of what waits to be matched; every instance's matcher takes from it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ask(self, subject: MatchSubject, key: str, now: datetime) -> None:
        statement = insert(MatchRequestRecord).values(kind=subject.value, key=key, requested_at=now)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["kind", "key"],
                set_={"requested_at": statement.excluded.requested_at},
            )
        )

    async def take(self, limit: int) -> list[tuple[MatchSubject, str]]:
        """The oldest requests, oldest first, removed from the queue in the caller's
        transaction (rows another instance holds are skipped): a failed match leaves them
        queued.

        Oldest first matters: an enterprise's match replaces its matches with its own best
        patents, so an enterprise queued before a patent must be matched before it, or it
        would drop the match the patent's turn just made. ``DELETE ... RETURNING`` hands
        rows back in the order it met them, not in the subquery's, hence the sort."""
        rows = await self.session.execute(
            text(
                "DELETE FROM match_requests WHERE (kind, key) IN ("
                " SELECT kind, key FROM match_requests ORDER BY requested_at"
                " LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING kind, key, requested_at"
            ),
            {"limit": limit},
        )
        taken = sorted(rows, key=lambda row: (row.requested_at, row.kind, row.key))
        return [(MatchSubject(row.kind), row.key) for row in taken]
