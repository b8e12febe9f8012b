"""An event waiting to reach connected platforms.

Every public event is stored once, with its position on its topic (partition and offset),
so deliveries keep each patent's order: its deliveries to one endpoint go one after
another per ordering key (the publishing service and the patent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class OutboundEvent:
    event_id: str
    event_type: str
    source: str
    subject: str | None
    partition_key: str | None
    event_time: datetime
    data: dict[str, Any]
    topic: str
    partition: int
    offset: int
    traceparent: str | None = None
    actor: str | None = None
    origin_platform: str | None = None

    @property
    def ordering_key(self) -> str:
        """Deliveries with the same key reach an endpoint in sequence order."""
        return f"{self.source}|{self.partition_key or self.subject or self.event_id}"
