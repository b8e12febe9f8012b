"""What the history is asked to record (plain data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class HistoryEvent:
    """An event of any service, as its envelope tells it."""

    event_id: str
    event_type: str
    source: str
    occurred_at: datetime
    actor: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class RecordHistory:
    events: tuple[HistoryEvent, ...]
