"""Credit supervision (信用监管, 知识产权信用管理规定): the regulator's records of a
party's dishonest conduct, the party's objections, and the restrictions a record in
force puts on the party across the platform.

A record is recorded by the regulator with evidence and a period, or starts as a
*candidate* from the breach register (a late royalty report or payment) that the
regulator confirms or dismisses: a candidate restricts nobody. A record in force ends
when its period ends (the sweep), when the party's objection is upheld, or when the
regulator revokes it. Every change is kept in the record's history, which the party
sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from license.domain.credit_deadlines import (
    OBJECTION_WINDOW_WORKING_DAYS,
    WorkingDeadline,
    decision_due,
    objection_window,
)
from license.domain.errors_credit import (
    CreditEvidenceRequired,
    CreditFactsRequired,
    CreditPeriodOutOfBounds,
    CreditRecordState,
    NotCreditParty,
    ObjectionDecided,
    ObjectionPending,
    ObjectionWindowClosed,
)
from shared.domain.calendar import WorkingDayCalendar, add_months, shanghai_date

MIN_PERIOD_MONTHS = 1
MAX_PERIOD_MONTHS = 36


class CreditKind(StrEnum):
    """The dishonest conduct of 知识产权信用管理规定 Art. 6 as it bears on this platform."""

    FALSE_MATERIALS = "false_materials"  # 提交虚假材料
    ROYALTY_UNPAID_AFTER_NOTICE = "royalty_unpaid_after_notice"  # 经催告拒不支付许可使用费
    SETTLEMENT_NOT_PERFORMED = "settlement_not_performed"  # 不履行调解协议
    ABNORMAL_PATENT_APPLICATION = "abnormal_patent_application"  # 非正常专利申请
    PENALTY_NOT_EXECUTED = "penalty_not_executed"  # 拒不执行行政处罚或行政裁决
    DISHONEST_JUDGMENT_DEBTOR = "dishonest_judgment_debtor"  # 被认定为失信被执行人
    FALSE_CREDIT_COMMITMENT = "false_credit_commitment"  # 信用承诺不实
    OTHER = "other"


class CreditState(StrEnum):
    CANDIDATE = "candidate"
    DISMISSED = "dismissed"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Restriction(StrEnum):
    """What a record in force restricts (docs/license.md, the table of restrictions)."""

    OPEN_LICENSE_DECLARATION = "open_license_declaration"
    OPEN_LICENSE_FEE_REDUCTION = "open_license_fee_reduction"
    SUPPLY_LISTING_REVIEW = "supply_listing_review"


RESTRICTIONS = tuple(Restriction)


class LiftReason(StrEnum):
    PERIOD_ENDED = "period_ended"
    OBJECTION_UPHELD = "objection_upheld"
    REVOKED = "revoked"


@dataclass(frozen=True)
class CreditParty:
    uscc: str
    name: str


@dataclass(frozen=True)
class CreditPeriod:
    """The days the party is restricted, both included."""

    start: date
    end: date

    def check(self, today: date) -> None:
        if self.start > today:
            raise CreditPeriodOutOfBounds(
                f"period.from {self.start} is after today ({today}): a record takes effect "
                "when it is recorded, so its period starts no later than today"
            )
        if not add_months(self.start, MIN_PERIOD_MONTHS) <= self.end:
            raise CreditPeriodOutOfBounds(
                f"period.until {self.end} is less than {MIN_PERIOD_MONTHS} month after "
                f"period.from {self.start}"
            )
        if self.end > add_months(self.start, MAX_PERIOD_MONTHS):
            raise CreditPeriodOutOfBounds(
                f"period.until {self.end} is more than {MAX_PERIOD_MONTHS} months after "
                f"period.from {self.start}"
            )


@dataclass(frozen=True)
class Change:
    """One line of a record's history: who did what, when, and the state after it."""

    at: datetime
    by_org_id: str | None  # None: the platform's sweep
    action: str
    state: CreditState
    note: str | None = None


@dataclass
class Objection:
    id: str
    record_id: str
    grounds: str
    evidence: tuple[str, ...]
    filed_by_org_id: str
    filed_at: datetime
    # None while the decision period reaches a year the calendar lacks (decision_due).
    decide_by: date | None
    upheld: bool | None = None
    reason: str | None = None
    decided_at: datetime | None = None
    decided_by_org_id: str | None = None
    overdue_alerted: bool = False

    @property
    def pending(self) -> bool:
        return self.upheld is None

    def decision_due(self, calendar: WorkingDayCalendar) -> WorkingDeadline:
        """The day the regulator decides by: kept once counted, else counted from the
        filing day if the calendar now covers the days it needs."""
        if self.decide_by is not None:
            return WorkingDeadline(self.decide_by)
        return decision_due(shanghai_date(self.filed_at), calendar)

    def count_decision_due(self, calendar: WorkingDayCalendar) -> WorkingDeadline:
        """Keep the decision day once the calendar covers it (the sweep's work)."""
        due = self.decision_due(calendar)
        self.decide_by = due.day
        return due


@dataclass(frozen=True)
class Viewer:
    org_id: str
    uscc: str | None
    oversees: bool  # the regulator or the operator


@dataclass
class CreditRecord:
    id: str
    party: CreditParty
    kind: CreditKind
    state: CreditState
    facts: str | None
    evidence: tuple[str, ...]
    period: CreditPeriod | None
    license_id: str | None
    breach_id: str | None
    recorded_by_org_id: str | None
    created_at: datetime
    # The day the record took effect (in force); the objection window runs from it.
    effective_on: date | None = None
    ended_at: datetime | None = None
    history: list[Change] = field(default_factory=list)

    @classmethod
    def record(
        cls,
        *,
        record_id: str,
        party: CreditParty,
        kind: CreditKind,
        facts: str | None,
        evidence: tuple[str, ...],
        period: CreditPeriod,
        license_id: str | None,
        by_org_id: str,
        now: datetime,
        today: date,
    ) -> CreditRecord:
        """The regulator's record, in force from today."""
        _check_evidence(evidence)
        if kind is CreditKind.OTHER and not (facts or "").strip():
            raise CreditFactsRequired("facts: a record of the kind `other` states the facts")
        period.check(today)
        record = cls(
            id=record_id,
            party=party,
            kind=kind,
            state=CreditState.IN_FORCE,
            facts=facts,
            evidence=evidence,
            period=period,
            license_id=license_id,
            breach_id=None,
            recorded_by_org_id=by_org_id,
            created_at=now,
            effective_on=today,
        )
        record._log(now, by_org_id, "recorded")
        return record

    @classmethod
    def candidate(
        cls,
        *,
        record_id: str,
        party: CreditParty,
        facts: str,
        license_id: str,
        breach_id: str,
        now: datetime,
    ) -> CreditRecord:
        """A late royalty report or payment put before the regulator; restricts nobody."""
        record = cls(
            id=record_id,
            party=party,
            kind=CreditKind.ROYALTY_UNPAID_AFTER_NOTICE,
            state=CreditState.CANDIDATE,
            facts=facts,
            evidence=(),
            period=None,
            license_id=license_id,
            breach_id=breach_id,
            recorded_by_org_id=None,
            created_at=now,
        )
        record._log(now, None, "proposed from the breach register", breach_id)
        return record

    # -- the regulator ---------------------------------------------------------------------

    def confirm(
        self,
        *,
        evidence: tuple[str, ...],
        period: CreditPeriod,
        facts: str | None,
        by_org_id: str,
        now: datetime,
        today: date,
    ) -> None:
        self._require(CreditState.CANDIDATE, "confirmed")
        _check_evidence(evidence)
        period.check(today)
        self.evidence = evidence
        self.period = period
        self.facts = facts or self.facts
        self.recorded_by_org_id = by_org_id
        self.effective_on = today
        self.state = CreditState.IN_FORCE
        self._log(now, by_org_id, "confirmed")

    def dismiss(self, *, reason: str, by_org_id: str, now: datetime) -> None:
        self._require(CreditState.CANDIDATE, "dismissed")
        self.state = CreditState.DISMISSED
        self.ended_at = now
        self._log(now, by_org_id, "dismissed", reason)

    def revoke(self, *, reason: str, by_org_id: str, now: datetime) -> None:
        self._require(CreditState.IN_FORCE, "revoked")
        self.state = CreditState.REVOKED
        self.ended_at = now
        self._log(now, by_org_id, "revoked", reason)

    def expire_if_ended(self, today: date, now: datetime) -> bool:
        """The period ended (its last day is before ``today``): the record expires."""
        if self.state is not CreditState.IN_FORCE or self.period is None:
            return False
        if self.period.end >= today:
            return False
        self.state = CreditState.EXPIRED
        self.ended_at = now
        self._log(now, None, "expired", f"period ended {self.period.end}")
        return True

    # -- the party -------------------------------------------------------------------------

    def object(
        self,
        *,
        objection_id: str,
        grounds: str,
        evidence: tuple[str, ...],
        viewer: Viewer,
        pending: bool,
        now: datetime,
        today: date,
        calendar: WorkingDayCalendar,
    ) -> Objection:
        """The party's objection, within the window; one pending at a time."""
        if viewer.uscc != self.party.uscc:
            raise NotCreditParty(f"only {self.party.name} may object to credit record {self.id}")
        self._require(CreditState.IN_FORCE, "objected to")
        if pending:
            raise ObjectionPending(f"an objection to credit record {self.id} awaits a decision")
        # A window the calendar cannot count yet is open: the party's right to object
        # is never cut short by our calendar data.
        window = self.objection_window(calendar)
        if window is None or window.passed(today):
            closed = f" closed on {window.day}" if window else " is not open"
            raise ObjectionWindowClosed(
                f"the objection window of credit record {self.id}{closed} "
                f"({OBJECTION_WINDOW_WORKING_DAYS} working days from {self.effective_on})"
            )
        objection = Objection(
            id=objection_id,
            record_id=self.id,
            grounds=grounds,
            evidence=evidence,
            filed_by_org_id=viewer.org_id,
            filed_at=now,
            decide_by=decision_due(today, calendar).day,
        )
        self._log(now, viewer.org_id, "objected", objection.id)
        return objection

    def objection_window(self, calendar: WorkingDayCalendar) -> WorkingDeadline | None:
        """The window's last day (or pending); None before the record takes effect."""
        if self.effective_on is None:
            return None
        return objection_window(self.effective_on, calendar)

    def decide(
        self, objection: Objection, *, upheld: bool, reason: str, by_org_id: str, now: datetime
    ) -> None:
        """The regulator's decision; an upheld objection revokes the record."""
        if not objection.pending:
            raise ObjectionDecided(f"objection {objection.id} is already decided")
        objection.upheld = upheld
        objection.reason = reason
        objection.decided_at = now
        objection.decided_by_org_id = by_org_id
        if upheld and self.state is CreditState.IN_FORCE:
            self.state = CreditState.REVOKED
            self.ended_at = now
        action = "objection upheld" if upheld else "objection rejected"
        self._log(now, by_org_id, action, reason)

    # -- reading ---------------------------------------------------------------------------

    @property
    def restricts(self) -> bool:
        return self.state is CreditState.IN_FORCE

    def may_be_seen_by(self, viewer: Viewer) -> bool:
        if viewer.oversees:
            return True
        # A candidate is the regulator's working material until it is confirmed.
        return viewer.uscc == self.party.uscc and self.state is not CreditState.CANDIDATE

    def _require(self, state: CreditState, verb: str) -> None:
        if self.state is not state:
            raise CreditRecordState(
                f"credit record {self.id} is {self.state.value}: only a record "
                f"{state.value} may be {verb}"
            )

    def _log(self, at: datetime, by: str | None, action: str, note: str | None = None) -> None:
        self.history.append(Change(at=at, by_org_id=by, action=action, state=self.state, note=note))


def lift_reason(record: CreditRecord) -> LiftReason:
    if record.state is CreditState.EXPIRED:
        return LiftReason.PERIOD_ENDED
    last = record.history[-1].action if record.history else ""
    return LiftReason.OBJECTION_UPHELD if last == "objection upheld" else LiftReason.REVOKED


def _check_evidence(evidence: tuple[str, ...]) -> None:
    if not evidence:
        raise CreditEvidenceRequired(
            "evidence: a credit record relies on at least one document (upload it with "
            "POST /v1/documents, then cite its id)"
        )
