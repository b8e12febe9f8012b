"""An event waiting to reach connected platforms.

Every public event is stored once, with its position on its topic (partition and offset),
so deliveries keep each patent's order. Delivery itself — per-endpoint queues, Standard
Webhooks signatures, retries, replay — is built on this queue by a later issue.
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
