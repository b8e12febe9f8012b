"""A patent's history: timeline entries in, pages of them out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from listing import mapping
from listing.domain.timeline import TimelineEntry
from listing.models import TimelineEntryRecord

_TIMELINE = TimelineEntryRecord.__table__  # type: ignore[attr-defined]
_ADD = insert(_TIMELINE).on_conflict_do_nothing(index_elements=["event_id", "application_number"])


class TimelineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entries: list[TimelineEntry]) -> None:
        """Store the entries; one already stored (a redelivered event) is kept as it is."""
        # One statement, compiled once (its values are parameters, not part of the SQL):
        # the timeline takes every event of every service. The entries' fields are the
        # columns; vars() passes them as they are (asdict would deep-copy each event's data).
        await self.session.execute(_ADD, [vars(e) for e in entries])

    async def page(
        self, application_number: str, limit: int, after: tuple[datetime, str] | None
    ) -> list[TimelineEntry]:
        """Oldest first, after the entry ``after`` (its time and event id)."""
        t = TimelineEntryRecord
        query = (
            select(t)
            .where(col(t.application_number) == application_number)
            .order_by(col(t.occurred_at), col(t.event_id))
            .limit(limit)
        )
        if after is not None:
            query = query.where(tuple_(col(t.occurred_at), col(t.event_id)) > tuple_(*after))
        return [mapping.to_timeline_entry(r) for r in (await self.session.execute(query)).scalars()]
