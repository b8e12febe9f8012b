"""Unit of work: one transaction on the service's database, rolled back unless committed.

State changes and the events they cause commit together: services stage events with
:meth:`UnitOfWork.emit`, and :meth:`UnitOfWork.commit` writes them to the outbox in the
same transaction (the relay publishes them afterwards). Services never commit; the
entrypoint (endpoint or consumer) that opened the unit of work does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.clock import Clock, SystemClock
from shared.db.idempotency import IdempotencyConflict, current_claim
from shared.db.infrastructure import InfrastructureTables
from shared.db.outbox_rows import OUTBOX_COLUMNS, outbox_row
from shared.events.schemas.base import EventData
from shared.observability.tracing import current_trace_id

OUTBOX_CHANNEL = "ipmarket_outbox"

# The organisation on whose behalf the current task acts (set by authentication, or by
# a consumer from the event it handles). Every event records it: the audit trail.
acting_org: ContextVar[str | None] = ContextVar("ipmarket_acting_org", default=None)


@dataclass(frozen=True)
class StagedEvent:
    event_id: str
    data: EventData
    topic: str
    partition_key: str
    time: datetime
    actor: str | None
    trace_id: str | None
    origin_platform: str | None


class UnitOfWork:
    """``async with uow: ... await uow.commit()``; leaving without commit rolls back."""

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: InfrastructureTables,
        source: str,
        on_commit: Callable[[], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._tables = tables
        self._source = source
        self._on_commit = on_commit
        self._session: AsyncSession | None = None
        self._staged: list[StagedEvent] = []
        self.committed = False
        # What time it is for the use cases run in this unit of work (shared.clock).
        self.clock: Clock = clock or SystemClock()

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside `async with`")
        return self._session

    @property
    def source(self) -> str:
        """The CloudEvents ``source`` of the events this unit of work writes (a use case
        that writes outbox rows in bulk, set-based, gives them the same)."""
        return self._source

    @property
    def staged_events(self) -> list[StagedEvent]:
        return list(self._staged)

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        self._staged = []
        self.committed = False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if not self.committed:
                await session.rollback()
        finally:
            await session.close()
            self._session = None

    def emit(
        self,
        event: EventData,
        *,
        topic: str | None = None,
        event_id: str | None = None,
        origin_platform: str | None = None,
    ) -> str:
        """Stage ``event`` for the outbox; returns its CloudEvents id.

        ``topic`` overrides the event type's own topic (a bank's private topic);
        ``event_id`` reuses an id, so one event sent to two topics stays one event.
        """
        staged = StagedEvent(
            event_id=event_id or str(uuid.uuid4()),
            data=event,
            topic=topic or event.topic,
            partition_key=event.partition_key(),
            time=self.clock.now(),
            actor=acting_org.get(),
            trace_id=current_trace_id(),
            origin_platform=origin_platform,
        )
        self._staged.append(staged)
        return staged.event_id

    async def commit(self) -> None:
        session = self.session
        claim = current_claim()
        if self._staged:
            rows = [
                outbox_row(
                    e.event_id,
                    e.topic,
                    e.partition_key,
                    e.data.event_type,
                    self._source,
                    e.data.subject(),
                    e.time,
                    e.trace_id,
                    e.actor,
                    e.origin_platform,
                    e.data.model_dump(mode="json"),
                )
                for e in self._staged
            ]
            await session.execute(
                insert(self._tables.outbox),
                [dict(zip(OUTBOX_COLUMNS, r, strict=True)) for r in rows],
            )
            # Delivered to the relay's LISTEN only if and when this transaction commits.
            await session.execute(text(f"NOTIFY {OUTBOX_CHANNEL}"))
        if claim is not None and not claim.recorded:
            try:
                async with session.begin_nested():
                    await session.execute(
                        insert(self._tables.idempotency_keys).values(**claim.row())
                    )
            except IntegrityError as exc:
                # Another request with the same key committed first: this one must not.
                raise IdempotencyConflict(claim.key) from exc
        await session.commit()
        self.committed = True
        if claim is not None:
            claim.recorded = True
        self._staged = []
        if self._on_commit is not None:
            self._on_commit()

    async def execute_raw(self, sql: str, **params: Any) -> Any:
        """Run one SQL statement in this transaction (repositories use this sparingly)."""
        return await self.session.execute(text(sql), params)
