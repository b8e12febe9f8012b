"""The words of a licence dispute (许可纠纷) and the records a mediation case keeps:
who is on which side, the other proceedings that rule mediation out, why a case is
refused or terminated, its sessions, extensions and settlement agreement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class MediationStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    SETTLED = "settled"
    TERMINATED = "terminated"
    WITHDRAWN = "withdrawn"


class Side(StrEnum):
    """The two sides of a licence dispute."""

    LICENSEE = "licensee"
    LICENSOR = "licensor"

    @property
    def other(self) -> Side:
        return Side.LICENSOR if self is Side.LICENSEE else Side.LICENSEE


class ProceedingKind(StrEnum):
    """Other proceedings on the dispute, each of which rules mediation out."""

    LAWSUIT = "lawsuit"  # 已向人民法院起诉或法院已受理
    ARBITRATION = "arbitration"  # 已申请仲裁
    DECISION = "decision"  # 已由法院、仲裁机构或行政机关作出处理


class RefusalReason(StrEnum):
    OTHER_PARTY_DECLINED = "other_party_declined"
    LAWSUIT_FILED = "lawsuit_filed"
    ARBITRATION_APPLIED = "arbitration_applied"
    DISPUTE_DECIDED = "dispute_decided"


REFUSAL_FOR_PROCEEDING = {
    ProceedingKind.LAWSUIT: RefusalReason.LAWSUIT_FILED,
    ProceedingKind.ARBITRATION: RefusalReason.ARBITRATION_APPLIED,
    ProceedingKind.DECISION: RefusalReason.DISPUTE_DECIDED,
}


class TerminationReason(StrEnum):
    NO_AGREEMENT = "no_agreement"  # 调解不成
    PARTY_WITHDREW = "party_withdrew"  # a party no longer takes part
    PROCEEDINGS_STARTED = "proceedings_started"  # a lawsuit or arbitration began meanwhile
    DEADLINE_PASSED = "deadline_passed"  # not closed in time and not extended
    WITHDRAWN = "withdrawn"  # the requester's withdrawal; never the mediator's reason


@dataclass(frozen=True)
class CaseParty:
    """An organisation of the licence as the case knows it."""

    name: str
    uscc: str | None
    org_id: str | None = None


@dataclass(frozen=True)
class Mediator:
    """The mediation organisation the requester named."""

    org_id: str
    name: str


@dataclass(frozen=True)
class CaseViewer:
    """Who asks about a case: ``reads_all`` for the operator and the regulator."""

    org_id: str
    uscc: str | None
    is_mediator: bool = False
    reads_all: bool = False


@dataclass(frozen=True)
class Proceeding:
    kind: ProceedingKind
    recorded_by: Side
    recorded_on: date
    note: str | None = None


@dataclass(frozen=True)
class MediationSession:
    held_on: date
    summary: str


@dataclass(frozen=True)
class Extension:
    """An extension and the closing deadline it set: provisional when the working-day
    calendar lacked its year then (the case's ``closing_deadline`` is the one running)."""

    days: int
    reason: str
    recorded_on: date
    closing_deadline: date
    provisional: bool = False


@dataclass(frozen=True)
class Signature:
    org_id: str
    name: str
    signed_at: datetime


@dataclass(frozen=True)
class Settlement:
    """The agreed terms: a new royalty rate from a date, and the other terms in words.
    In effect once both sides signed it and the case closed on it."""

    royalty_rate: Decimal
    effective_from: date
    other_terms: str
    recorded_on: date
    signatures: dict[Side, Signature] = field(default_factory=dict)

    def unsigned_sides(self) -> list[Side]:
        return [side for side in Side if side not in self.signatures]


@dataclass(frozen=True)
class LicenseTerm:
    """The part of the licence a mediation reads: when it was in force."""

    effective_date: date | None
    end: date | None
