"""The matcher's queue hands requests back oldest first, whatever order the table keeps
them in: an enterprise queued before a patent must be matched before it (its match
replaces its matches with its own best patents, which would drop the pair the patent's
turn had just written)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from matching.config import MatchingSettings
from matching.domain.patent import MatchSubject
from matching.main import MIGRATIONS
from matching.repository import MatchRequests
from shared.db.engine import asyncpg_dsn
from shared.db.migrations import upgrade_to_head
from tests.support.stack import Stack


async def test_requests_are_taken_oldest_first_whatever_their_place_in_the_table(
    stack: Stack,
) -> None:
    # A database of its own: the suite's matcher would take these requests itself.
    settings = stack.settings(MatchingSettings)
    await asyncio.to_thread(upgrade_to_head, MIGRATIONS, settings.database_url)
    start = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    # Written newest first, so the table's own order is the reverse of the queue's.
    queued = [
        ("patent", "201910000001.5", start + timedelta(seconds=3)),
        ("enterprise", "91440300MA5F00002X", start + timedelta(seconds=2)),
        ("need", "need-1", start + timedelta(seconds=1)),
        ("enterprise", "91440300MA5F00001X", start),
    ]
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        await conn.executemany(
            "INSERT INTO match_requests (kind, key, requested_at) VALUES ($1, $2, $3)", queued
        )
    finally:
        await conn.close()

    engine = create_async_engine(settings.database_url)
    try:
        async with AsyncSession(engine) as session:
            first = await MatchRequests(session).take(3)
            rest = await MatchRequests(session).take(10)
            await session.commit()
    finally:
        await engine.dispose()

    assert first == [
        (MatchSubject.ENTERPRISE, "91440300MA5F00001X"),
        (MatchSubject.NEED, "need-1"),
        (MatchSubject.ENTERPRISE, "91440300MA5F00002X"),
    ]
    assert rest == [(MatchSubject.PATENT, "201910000001.5")]
