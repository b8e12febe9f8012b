"""What the restrictions use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ImposeRestriction:
    record_id: str
    party_uscc: str
    party_name: str
    restricted_from: date
    restricted_until: date


@dataclass(frozen=True)
class LiftRestriction:
    record_id: str
    party_uscc: str
    party_name: str
