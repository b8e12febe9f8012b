"""Async engine and session factory for one service's own database."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def create_engine(database_url: str, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        # asyncpg prepares statements; a generic plan once cost a search 2.6 ms -> 730 ms
        # (infra.md), so custom plans are forced for every statement of ours.
        connect_args={"server_settings": {"plan_cache_mode": "force_custom_plan"}},
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def asyncpg_dsn(database_url: str) -> str:
    """The same database URL as asyncpg itself wants it (no ``+asyncpg`` driver part)."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)
