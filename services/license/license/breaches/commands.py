"""What the breach register's use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from license.domain.royalty import BreachKind


@dataclass(frozen=True)
class RecordOverdueRoyalties:
    """One batch of the deadline watch: the royalty reports and payments late on
    ``today``."""

    today: date
    limit: int


@dataclass(frozen=True)
class ListBreaches:
    """One page of the register, newest first, after ``after`` (recorded at, id)."""

    limit: int
    after: tuple[datetime, str] | None
    party_uscc: str | None
    license_id: str | None
    kind: BreachKind | None
