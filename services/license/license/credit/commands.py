"""What the credit use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from license.domain.credit import CreditKind, CreditState


@dataclass(frozen=True)
class RecordCredit:
    """The regulator records a party's dishonest conduct."""

    party_uscc: str
    party_name: str
    kind: CreditKind
    evidence: tuple[str, ...]
    facts: str | None
    period_from: date
    period_until: date
    license_id: str | None


@dataclass(frozen=True)
class ConfirmCandidate:
    record_id: str
    evidence: tuple[str, ...]
    facts: str | None
    period_from: date
    period_until: date


@dataclass(frozen=True)
class DismissCandidate:
    record_id: str
    reason: str


@dataclass(frozen=True)
class RevokeCredit:
    record_id: str
    reason: str


@dataclass(frozen=True)
class FileObjection:
    record_id: str
    grounds: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class DecideObjection:
    record_id: str
    objection_id: str
    upheld: bool
    reason: str


@dataclass(frozen=True)
class ListCreditRecords:
    """One page, newest first, after ``after`` (created at, id)."""

    limit: int
    after: tuple[datetime, str] | None
    party_uscc: str | None
    state: CreditState | None
    kind: CreditKind | None


@dataclass(frozen=True)
class SweepCredit:
    """One batch of the deadline watch: periods ended and objections overdue on ``today``."""

    today: date
    limit: int
