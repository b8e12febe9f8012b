"""What the delivery use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReplayFailed:
    """Replay an endpoint's failed deliveries, optionally those created in a range."""

    endpoint_id: str
    since: datetime | None = None
    until: datetime | None = None
