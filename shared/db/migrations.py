"""Alembic migrations per service, applied at start under an advisory lock so several
replicas starting together migrate once.

Each service's ``migrations/env.py`` is three lines that call :func:`run_env`. Tables that
every service carries (``shared.db.infrastructure``) and that came after the services' first
schemas are created by one function here, which each service's revision calls.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_lock`` from a readable name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def alembic_config(script_location: Path, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(script_location: Path, database_url: str) -> None:
    """Apply every pending migration. Blocking: call it through ``asyncio.to_thread``."""
    command.upgrade(alembic_config(script_location, database_url), "head")


def run_env(target_metadata: MetaData) -> None:
    """Body of a service's ``env.py``: run the migrations online, under the lock."""
    url = context.config.get_main_option("sqlalchemy.url") or os.environ["ALEMBIC_DATABASE_URL"]
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, target_metadata))


async def _run_online(url: str, target_metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    key = advisory_key("ipmarket:migrations")
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            await connection.commit()
            try:
                await connection.run_sync(_migrate, target_metadata)
                await connection.commit()
            finally:
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                await connection.commit()
    finally:
        await engine.dispose()


def _migrate(connection: Connection, target_metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def create_outbox_relay_state() -> None:
    """Create ``outbox_relay_state`` (called by each service's revision that adds it).

    Released DDL: never edit it; a later change to the table is a new function that new
    revisions call.
    """
    op.create_table(
        "outbox_relay_state",
        sa.Column("id", sa.SmallInteger(), server_default=sa.text("1"), nullable=False),
        sa.Column("cluster_id", sa.String(length=255), nullable=False),
        sa.Column(
            "replay_next_id", sa.BigInteger(), nullable=True, comment="Next outbox id to re-send."
        ),
        sa.Column(
            "replay_last_id",
            sa.BigInteger(),
            nullable=True,
            comment="Last outbox id the replay re-sends.",
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("id = 1", name=op.f("ck_outbox_relay_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_relay_state")),
    )


def drop_outbox_relay_state() -> None:
    """Undo :func:`create_outbox_relay_state`."""
    op.drop_table("outbox_relay_state")
