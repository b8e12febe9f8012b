"""Every query of the legal-status feed's position."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from registry_sync.legal_status.models import LegalStatusFeedPositionRecord as P


class FeedPositionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def locked(self, feed: str, now: datetime) -> int | None:
        """The feed's position, its row locked until this transaction ends (another
        instance applying the same answer waits, then finds the position moved)."""
        await self.session.execute(
            insert(P).values(feed=feed, last_sequence=0, updated_at=now).on_conflict_do_nothing()
        )
        query = select(P.last_sequence).where(col(P.feed) == feed)
        query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def get(self, feed: str) -> int:
        query = select(P.last_sequence).where(col(P.feed) == feed)
        return (await self.session.execute(query)).scalar_one_or_none() or 0

    async def advance(self, feed: str, sequence: int, now: datetime) -> None:
        await self.session.execute(
            update(P).where(col(P.feed) == feed).values(last_sequence=sequence, updated_at=now)
        )
