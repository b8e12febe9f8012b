"""A miniature service for testing the shared mechanisms on the real database and broker:
its own metadata with the infrastructure tables and one table of effects."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.db.engine import create_engine, create_session_factory
from shared.db.infrastructure import define_infrastructure_tables
from shared.db.uow import UnitOfWork
from shared.events.schemas.base import EventData
from shared.settings import ServiceSettings

metadata = MetaData()
tables = define_infrastructure_tables(metadata)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("note", String(200), nullable=False),
)


class ThingHappened(EventData):
    """A test-only event type on its own topic."""

    event_type: ClassVar[str] = "cn.ipmarket.test.thing.happened.v1"
    topic: ClassVar[str] = "ipmarket.test.things.v1"

    application_number: str
    note: str


class MiniService:
    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.engine: AsyncEngine = create_engine(settings.database_url, 5)
        self.sessions = create_session_factory(self.engine)
        self.on_commit: list[object] = []

    async def create_schema(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, tables, "/ipmarket/test")

    async def notes(self) -> list[str]:
        async with self.engine.connect() as conn:
            return list(
                (await conn.execute(select(effects.c.note).order_by(effects.c.id))).scalars()
            )

    async def unpublished(self) -> int:
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                select(tables.outbox.c.id).where(tables.outbox.c.published_at.is_(None))
            )
            return len(rows.all())
