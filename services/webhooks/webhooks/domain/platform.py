"""A connected trading platform (a regional exchange or another system)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Platform:
    id: str
    org_id: str
    name: str
    region_code: str | None
    # Sealed by the service's key box: the domain never sees it in clear.
    inbound_secret: str
    created_at: datetime
