"""What the mediation use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from license.domain.dispute import (
    MediationStatus,
    ProceedingKind,
    RefusalReason,
    TerminationReason,
)


@dataclass(frozen=True)
class RequestMediation:
    """A party to a licence asks a mediation organisation to mediate (调解请求)."""

    license_id: str
    mediator_org_id: str
    mediator_name: str
    claims: str
    dispute_arose_on: date
    # Proceedings on the dispute the requester knows of (they rule mediation out).
    known_proceedings: tuple[ProceedingKind, ...] = ()


@dataclass(frozen=True)
class AnswerMediation:
    """The other party agrees to mediation or declines it."""

    case_id: str
    agrees: bool


@dataclass(frozen=True)
class RecordProceeding:
    """A party records a lawsuit, an arbitration or a decision on the dispute."""

    case_id: str
    kind: ProceedingKind
    note: str | None


@dataclass(frozen=True)
class RefuseMediation:
    case_id: str
    reason: RefusalReason


@dataclass(frozen=True)
class AcceptMediation:
    case_id: str


@dataclass(frozen=True)
class HoldSession:
    case_id: str
    held_on: date
    summary: str


@dataclass(frozen=True)
class ExtendMediation:
    case_id: str
    days: int
    reason: str


@dataclass(frozen=True)
class RecordSettlement:
    """The agreed terms (调解协议): a new royalty rate from a date, the rest in words."""

    case_id: str
    royalty_rate: Decimal
    effective_from: date
    other_terms: str


@dataclass(frozen=True)
class SignSettlement:
    case_id: str


@dataclass(frozen=True)
class CloseAsSettled:
    case_id: str


@dataclass(frozen=True)
class TerminateMediation:
    case_id: str
    reason: TerminationReason
    note: str | None


@dataclass(frozen=True)
class WithdrawMediation:
    case_id: str


@dataclass(frozen=True)
class ListMediationCases:
    """One page of cases, newest first, after ``after`` (created at, id)."""

    limit: int
    after: tuple[datetime, str] | None
    license_id: str | None
    status: MediationStatus | None


@dataclass(frozen=True)
class SendMediationAlerts:
    """One batch of the mediation deadline watch: the reminders and alarms owed on
    ``today``."""

    today: date
    limit: int
