"""What ingestion is asked to do."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class PublishedEvent:
    """A public event as the topics carry it (its CloudEvents id, type and time, and its
    JSON data)."""

    event_id: str
    event_type: str
    time: datetime
    data: Mapping[str, Any]


@dataclass(frozen=True)
class IngestEvents:
    """Count what a consumer batch's events say, in their order on the partition."""

    events: tuple[PublishedEvent, ...]
