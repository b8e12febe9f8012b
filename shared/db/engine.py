"""Async engine and session factory for one service's own database."""

from __future__ import annotations

import json
from collections.abc import Mapping

import asyncpg
from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session


def create_engine(database_url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        # asyncpg prepares statements, and with plan_cache_mode=auto PostgreSQL may switch a
        # search to a generic plan that ignores its values and scans far more: custom plans
        # are forced for every statement of ours.
        connect_args={"server_settings": {"plan_cache_mode": "force_custom_plan"}},
    )


async def create_read_pool(
    database_url: str,
    size: int,
    server_settings: Mapping[str, str],
    *,
    generic_plans: bool = False,
) -> asyncpg.Pool:
    """A pool of plain asyncpg connections for a service's hot read paths (search):
    no unit of work, no ORM. Every session is read-only, so nothing can write through
    it; JSON columns come back decoded, as through the engine.

    Each execution of a prepared statement is planned for its values
    (``force_custom_plan``): a generic plan can ignore a search's values and scan far
    more. With ``generic_plans``, a statement is planned once per connection and the plan
    reused (``force_generic_plan``): for statements whose best plan never depends on the
    values (a key lookup, a scan in index order), where planning again is all a custom
    plan adds (docs/benchmarks.md has the figures)."""

    async def decode_json(conn: asyncpg.Connection) -> None:
        for name in ("json", "jsonb"):
            await conn.set_type_codec(
                name, schema="pg_catalog", encoder=json.dumps, decoder=json.loads
            )

    async def keep_session(_conn: asyncpg.Connection) -> None:
        """Nothing to reset: read-only single statements outside transactions leave no
        locks, cursors, listeners or settings behind (asyncpg's default reset would cost
        a round trip per query)."""

    pool = await asyncpg.create_pool(
        asyncpg_dsn(database_url),
        min_size=1,
        max_size=size,
        init=decode_json,
        reset=keep_session,
        server_settings={
            **server_settings,
            "plan_cache_mode": "force_generic_plan" if generic_plans else "force_custom_plan",
            "default_transaction_read_only": "on",
        },
    )
    assert pool is not None  # only None when the pool is not awaited
    return pool


class RowKeepingSession(Session):
    """A session that holds on to every row it loads until it closes.

    SQLAlchemy's identity map keeps rows only weakly: a repository that maps a row to a
    domain object and lets the row go would, on ``save``, read it from the database a
    second time. A unit of work is short, so keeping its rows costs little
    (``shared.db.rows.loaded_row`` reads them back)."""


@event.listens_for(RowKeepingSession, "loaded_as_persistent")
def _keep(session: Session, instance: object) -> None:
    session.info.setdefault("loaded_rows", []).append(instance)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(
        engine, expire_on_commit=False, autoflush=False, sync_session_class=RowKeepingSession
    )


def asyncpg_dsn(database_url: str) -> str:
    """The same database URL as asyncpg itself wants it (no ``+asyncpg`` driver part)."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
