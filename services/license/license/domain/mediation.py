"""Dispute mediation (专利纠纷调解) on a licence, with its legal deadlines.

A party to a licence (its licensee, or one of its licensors) asks a mediation
organisation (调解组织) to mediate a dispute that arose during the licence's term. The
other party answers; the organisation decides acceptance within 5 working days of the
request (the request day not counted, the official calendar with its adjusted working
weekends), and refuses when the other party declines or the dispute is before a court,
an arbitral body or decided. Once accepted, the mediation is closed within 30 calendar
days of the acceptance, extended only with a recorded reason; a deadline falling on a
day off moves to the next working day (Civil Code Art. 203). It closes with a settlement
agreement both parties signed, or ends by termination or the requester's withdrawal.

States::

    requested --accept--> accepted --close (both signed)--> settled
        |                    |
        +--refuse--> refused +--terminate--> terminated
        +--withdraw---------->+--withdraw--> withdrawn

The deadlines and their reminders: ``license.domain.mediation_deadline``; the level
sent only moves forward (an extension sets a new closing deadline, owed its own). A
deadline in a year the working-day calendar lacks waits (``calendar_year_missing``):
the acts never do, and the deadline watch counts it once the calendar covers the year.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from license.domain.dispute import (
    REFUSAL_FOR_PROCEEDING,
    CaseParty,
    CaseViewer,
    Extension,
    LicenseTerm,
    MediationSession,
    MediationStatus,
    Mediator,
    Proceeding,
    ProceedingKind,
    RefusalReason,
    Settlement,
    Side,
    Signature,
    TerminationReason,
)
from license.domain.errors_mediation import (
    AlreadyAnswered,
    DisputeDateInFuture,
    DisputeOutsideLicenseTerm,
    ExtensionReasonMissing,
    LicenseNotInEffect,
    MediationStateConflict,
    NotRequester,
    NotRespondent,
    ProceedingsRecorded,
    RefusalReasonUnfounded,
    RespondentNotAgreed,
    SessionDateInvalid,
    SettlementAlreadySigned,
    SettlementDateOutsideTerm,
    SettlementMissing,
    SettlementNotSigned,
    TerminationReasonReserved,
)
from license.domain.mediation_deadline import CaseDeadlines, DeadlineAlert, count_closing
from shared.domain.calendar import WorkingDayCalendar


@dataclass
class MediationCase(CaseDeadlines):
    id: str
    license_id: str
    application_number: str
    patent_number: str
    licensee: CaseParty
    licensors: tuple[CaseParty, ...]
    requester_side: Side
    requester: CaseParty
    mediator: Mediator
    claims: str
    dispute_arose_on: date
    requested_on: date
    # None while the calendar lacks a year the count needs (calendar_year_missing).
    acceptance_deadline: date | None = None
    acceptance_notice_on: date | None = None
    status: MediationStatus = MediationStatus.REQUESTED
    respondent_agrees: bool | None = None
    answered_on: date | None = None
    proceedings: tuple[Proceeding, ...] = ()
    refusal_reason: RefusalReason | None = None
    accepted_on: date | None = None
    # Provisional (the plain calendar day, no reminder day) while the calendar lacks a year.
    closing_deadline: date | None = None
    closing_notice_on: date | None = None
    # The year the working-day calendar lacks that a deadline of the case waits for.
    calendar_year_missing: int | None = None
    extensions: tuple[Extension, ...] = ()
    sessions: tuple[MediationSession, ...] = ()
    settlement: Settlement | None = None
    closed_on: date | None = None
    termination_reason: TerminationReason | None = None
    termination_note: str | None = None
    acceptance_alert: DeadlineAlert = DeadlineAlert.NONE
    closing_alert: DeadlineAlert = DeadlineAlert.NONE
    created_at: datetime | None = None

    @classmethod
    def request(
        cls,
        *,
        case_id: str,
        license_id: str,
        application_number: str,
        patent_number: str,
        licensee: CaseParty,
        licensors: tuple[CaseParty, ...],
        requester_side: Side,
        requester: CaseParty,
        mediator: Mediator,
        claims: str,
        dispute_arose_on: date,
        known_proceedings: tuple[ProceedingKind, ...],
        term: LicenseTerm,
        today: date,
        calendar: WorkingDayCalendar,
    ) -> MediationCase:
        """A request ``today`` about a dispute over a licence in force from
        ``term.effective_date`` to ``term.end`` (ended licences included)."""
        if term.effective_date is None or term.end is None:
            raise LicenseNotInEffect(
                f"licence {license_id} never took effect (its payment is not recorded); a "
                "dispute is mediated about a licence's term"
            )
        if dispute_arose_on > today:
            raise DisputeDateInFuture(f"dispute_arose_on {dispute_arose_on} is after today")
        if not term.effective_date <= dispute_arose_on <= term.end:
            raise DisputeOutsideLicenseTerm(
                f"dispute_arose_on {dispute_arose_on} lies outside licence {license_id}'s "
                f"term ({term.effective_date} – {term.end}); mediation of a licence covers "
                "disputes arising during its term"
            )
        case = cls(
            id=case_id,
            license_id=license_id,
            application_number=application_number,
            patent_number=patent_number,
            licensee=licensee,
            licensors=licensors,
            requester_side=requester_side,
            requester=requester,
            mediator=mediator,
            claims=claims,
            dispute_arose_on=dispute_arose_on,
            requested_on=today,
            proceedings=tuple(Proceeding(k, requester_side, today) for k in known_proceedings),
        )
        case.count_deadlines(calendar)
        return case

    # -- who is who ------------------------------------------------------------------------

    def side_of(self, org_id: str, uscc: str | None) -> Side | None:
        if self.licensee.org_id is not None and org_id == self.licensee.org_id:
            return Side.LICENSEE
        if uscc is not None and uscc == self.licensee.uscc:
            return Side.LICENSEE
        if uscc is not None and any(p.uscc == uscc for p in self.licensors):
            return Side.LICENSOR
        return None

    def is_mediator(self, viewer: CaseViewer) -> bool:
        return viewer.is_mediator and viewer.org_id == self.mediator.org_id

    def may_be_seen_by(self, viewer: CaseViewer) -> bool:
        """The mediator named, the licence's parties, the operator and the regulator."""
        if viewer.reads_all or self.is_mediator(viewer):
            return True
        return self.side_of(viewer.org_id, viewer.uscc) is not None

    # -- before acceptance -----------------------------------------------------------------

    def answer(self, side: Side, agrees: bool, today: date) -> None:
        if side is self.requester_side:
            raise NotRespondent(
                f"the {side.value} asked for mediation; the {side.other.value} answers"
            )
        self._require(MediationStatus.REQUESTED, "answered")
        if self.respondent_agrees is not None:
            said = "agreed" if self.respondent_agrees else "declined"
            raise AlreadyAnswered(f"the {side.value} already answered: it {said}")
        self.respondent_agrees = agrees
        self.answered_on = today

    def record_proceeding(
        self, side: Side, kind: ProceedingKind, note: str | None, today: date
    ) -> None:
        self._require(MediationStatus.REQUESTED, "given proceedings (before acceptance only)")
        self.proceedings = (*self.proceedings, Proceeding(kind, side, today, note))

    def refuse(self, reason: RefusalReason, today: date) -> None:
        self._require(MediationStatus.REQUESTED, "refused")
        if reason is RefusalReason.OTHER_PARTY_DECLINED:
            founded = self.respondent_agrees is False
        else:
            founded = any(REFUSAL_FOR_PROCEEDING[p.kind] is reason for p in self.proceedings)
        if not founded:
            raise RefusalReasonUnfounded(
                f"refusal reason {reason.value}: the case records no such fact (the other "
                "party's answer, or a proceeding a party recorded)",
                reason=reason.value,
            )
        self.status = MediationStatus.REFUSED
        self.refusal_reason = reason
        self.closed_on = today

    def accept(self, today: date, calendar: WorkingDayCalendar) -> None:
        self._require(MediationStatus.REQUESTED, "accepted")
        if self.proceedings:
            kind = self.proceedings[0].kind
            raise ProceedingsRecorded(
                f"a {kind.value} on this dispute is recorded; the case must be refused "
                f"({REFUSAL_FOR_PROCEEDING[kind].value})",
                proceeding=kind.value,
            )
        if self.respondent_agrees is not True:
            said = "declined" if self.respondent_agrees is False else "not answered yet"
            raise RespondentNotAgreed(
                f"the {self.requester_side.other.value} has {said}; mediation is accepted "
                "only once the other party agreed"
            )
        self.status = MediationStatus.ACCEPTED
        self.accepted_on = today
        self.count_deadlines(calendar)

    # -- once accepted ---------------------------------------------------------------------

    def hold_session(self, held_on: date, summary: str, today: date) -> None:
        self._require(MediationStatus.ACCEPTED, "given sessions")
        assert self.accepted_on is not None
        if not self.accepted_on <= held_on <= today:
            raise SessionDateInvalid(
                f"held_on {held_on} must lie between the acceptance ({self.accepted_on}) "
                f"and today ({today})"
            )
        self.sessions = (*self.sessions, MediationSession(held_on, summary))

    def extend(self, days: int, reason: str, today: date, calendar: WorkingDayCalendar) -> None:
        self._require(MediationStatus.ACCEPTED, "extended")
        if not reason.strip():
            raise ExtensionReasonMissing("an extension is recorded with its reason")
        assert self.accepted_on is not None
        set_now = count_closing(self.accepted_on, self._extended_days() + days, calendar)
        assert set_now.day is not None  # a closing deadline is at least provisional
        self.extensions = (
            *self.extensions,
            Extension(days, reason, today, set_now.day, set_now.provisional),
        )
        self.closing_notice_on = None  # counted again with the extension
        self.count_deadlines(calendar)
        # A new deadline is owed its own reminder and alarm.
        self.closing_alert = DeadlineAlert.NONE

    def propose_settlement(
        self,
        royalty_rate: Decimal,
        effective_from: date,
        other_terms: str,
        term: LicenseTerm,
        today: date,
    ) -> None:
        """Record the agreed terms; a new agreement replaces one not yet in effect, and
        its signatures with it."""
        self._require(MediationStatus.ACCEPTED, "given a settlement")
        assert term.effective_date is not None
        assert term.end is not None
        if not term.effective_date <= effective_from <= term.end:
            raise SettlementDateOutsideTerm(
                f"effective_from {effective_from} lies outside the licence's term "
                f"({term.effective_date} – {term.end})"
            )
        self.settlement = Settlement(royalty_rate, effective_from, other_terms, today)

    def sign_settlement(self, side: Side, signer: Signature) -> None:
        self._require(MediationStatus.ACCEPTED, "signed")
        settlement = self._settlement()
        if side in settlement.signatures:
            raise SettlementAlreadySigned(
                f"the {side.value} signed the settlement on "
                f"{settlement.signatures[side].signed_at.date()}; each party signs once"
            )
        self.settlement = replace(settlement, signatures={**settlement.signatures, side: signer})

    def close_as_settled(self, today: date) -> Settlement:
        """Close on the settlement both sides signed: it is in effect from now."""
        self._require(MediationStatus.ACCEPTED, "closed")
        settlement = self._settlement()
        missing = settlement.unsigned_sides()
        if missing:
            raise SettlementNotSigned(
                f"the settlement is not signed by the {' and the '.join(s.value for s in missing)}"
                "; it takes effect only when both parties signed it",
                unsigned=[s.value for s in missing],
            )
        self.status = MediationStatus.SETTLED
        self.closed_on = today
        return settlement

    def terminate(self, reason: TerminationReason, note: str | None, today: date) -> None:
        if reason is TerminationReason.WITHDRAWN:
            raise TerminationReasonReserved(
                "withdrawn is the requester's withdrawal (POST .../withdrawal)"
            )
        self._require(MediationStatus.ACCEPTED, "terminated")
        self._end(MediationStatus.TERMINATED, reason, note, today)

    def withdraw(self, side: Side | None, today: date) -> None:
        if side is not self.requester_side:
            raise NotRequester(
                f"the {self.requester_side.value} asked for this mediation; only it withdraws"
            )
        if self.status not in (MediationStatus.REQUESTED, MediationStatus.ACCEPTED):
            raise MediationStateConflict(f"the case is {self.status.value}; it cannot be withdrawn")
        self._end(MediationStatus.WITHDRAWN, TerminationReason.WITHDRAWN, None, today)

    # -- internals -------------------------------------------------------------------------

    def _settlement(self) -> Settlement:
        if self.settlement is None:
            raise SettlementMissing("no settlement agreement is recorded on this case yet")
        return self.settlement

    def _end(
        self, status: MediationStatus, reason: TerminationReason, note: str | None, today: date
    ) -> None:
        self.status = status
        self.termination_reason = reason
        self.termination_note = note
        self.closed_on = today

    def _require(self, status: MediationStatus, action: str) -> None:
        if self.status is not status:
            raise MediationStateConflict(
                f"mediation case {self.id} is {self.status.value}; only a {status.value} case "
                f"can be {action}"
            )
