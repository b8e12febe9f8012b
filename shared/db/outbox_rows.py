"""The outbox row, written once: its columns and how one event becomes one row.

Two writers fill the outbox: :meth:`shared.db.uow.UnitOfWork.commit` (an INSERT of the
events a use case staged) and listing's bulk import (a COPY of one event per imported
patent). Both build their rows here, so every row carries the same columns, the trace
context (``traceparent``) and the platform an event came from (``origin_platform``)
included.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.observability.tracing import new_traceparent

# The columns an outbox row is written with, in the order of :func:`outbox_row`'s tuple
# (the table's other columns are filled by PostgreSQL or by the relay).
OUTBOX_COLUMNS = (
    "event_id",
    "topic",
    "partition_key",
    "event_type",
    "source",
    "subject",
    "event_time",
    "traceparent",
    "actor",
    "origin_platform",
    "payload",
)


def outbox_row(
    event_id: str,
    topic: str,
    partition_key: str,
    event_type: str,
    source: str,
    subject: str | None,
    event_time: datetime,
    trace_id: str | None,
    actor: str | None,
    origin_platform: str | None,
    payload: Any,
) -> tuple[Any, ...]:
    """One event's outbox row, in :data:`OUTBOX_COLUMNS` order.

    ``trace_id``: the trace the event belongs to (it gets a span of its own in it), or
    ``None`` for a new trace. ``payload``: the event's data as the writer's driver takes
    a ``jsonb`` value (a dict for SQLAlchemy, JSON text for asyncpg's COPY).

    Positional and flat on purpose: the bulk import calls it once per patent."""
    return (
        event_id,
        topic,
        partition_key,
        event_type,
        source,
        subject,
        event_time,
        new_traceparent(trace_id),
        actor,
        origin_platform,
        payload,
    )
