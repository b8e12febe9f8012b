"""Mediation case row <-> domain object, written once."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from license.domain.dispute import (
    CaseParty,
    Extension,
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
from license.domain.mediation import MediationCase
from license.domain.mediation_deadline import DeadlineAlert
from license.mediation.models import MediationCaseRecord


def case_from_record(record: MediationCaseRecord) -> MediationCase:
    return MediationCase(
        id=record.id,
        license_id=record.license_id,
        application_number=record.application_number,
        patent_number=record.patent_number,
        licensee=_party(record.licensee),
        licensors=tuple(_party(p) for p in record.licensors),
        requester_side=Side(record.requester_side),
        requester=_party(record.requester),
        mediator=Mediator(record.mediator_org_id, record.mediator_name),
        claims=record.claims,
        dispute_arose_on=record.dispute_arose_on,
        requested_on=record.requested_on,
        acceptance_deadline=record.acceptance_deadline,
        acceptance_notice_on=record.acceptance_notice_on,
        status=MediationStatus(record.status),
        respondent_agrees=record.respondent_agrees,
        answered_on=record.answered_on,
        proceedings=tuple(
            Proceeding(
                ProceedingKind(p["kind"]),
                Side(p["recorded_by"]),
                date.fromisoformat(p["recorded_on"]),
                p.get("note"),
            )
            for p in record.proceedings
        ),
        refusal_reason=RefusalReason(record.refusal_reason) if record.refusal_reason else None,
        accepted_on=record.accepted_on,
        closing_deadline=record.closing_deadline,
        closing_notice_on=record.closing_notice_on,
        calendar_year_missing=record.calendar_year_missing,
        extensions=tuple(
            Extension(
                e["days"],
                e["reason"],
                date.fromisoformat(e["recorded_on"]),
                date.fromisoformat(e["closing_deadline"]),
                e.get("provisional", False),
            )
            for e in record.extensions
        ),
        sessions=tuple(
            MediationSession(date.fromisoformat(s["held_on"]), s["summary"])
            for s in record.sessions
        ),
        settlement=_settlement(record.settlement) if record.settlement else None,
        closed_on=record.closed_on,
        termination_reason=(
            TerminationReason(record.termination_reason) if record.termination_reason else None
        ),
        termination_note=record.termination_note,
        acceptance_alert=DeadlineAlert(record.acceptance_alert),
        closing_alert=DeadlineAlert(record.closing_alert),
        created_at=record.created_at,
    )


def case_record(case: MediationCase, now: datetime) -> MediationCaseRecord:
    record = MediationCaseRecord(
        id=case.id,
        license_id=case.license_id,
        application_number=case.application_number,
        patent_number=case.patent_number,
        licensee=_party_json(case.licensee),
        licensors=[_party_json(p) for p in case.licensors],
        licensee_org_id=case.licensee.org_id,
        party_usccs=[p.uscc for p in (case.licensee, *case.licensors) if p.uscc is not None],
        requester_side=case.requester_side.value,
        requester=_party_json(case.requester),
        mediator_org_id=case.mediator.org_id,
        mediator_name=case.mediator.name,
        claims=case.claims,
        dispute_arose_on=case.dispute_arose_on,
        requested_on=case.requested_on,
        status=case.status.value,
        proceedings=[],
        extensions=[],
        sessions=[],
        created_at=case.created_at or now,
    )
    apply_case(record, case, now)
    return record


def apply_case(record: MediationCaseRecord, case: MediationCase, now: datetime) -> None:
    """Write what a case's life changes (the request's facts never change)."""
    record.status = case.status.value
    # Counted once the working-day calendar covers them (calendar_year_missing).
    record.acceptance_deadline = case.acceptance_deadline
    record.acceptance_notice_on = case.acceptance_notice_on
    record.calendar_year_missing = case.calendar_year_missing
    record.respondent_agrees = case.respondent_agrees
    record.answered_on = case.answered_on
    record.proceedings = [
        {
            "kind": p.kind.value,
            "recorded_by": p.recorded_by.value,
            "recorded_on": p.recorded_on.isoformat(),
            "note": p.note,
        }
        for p in case.proceedings
    ]
    record.refusal_reason = case.refusal_reason.value if case.refusal_reason else None
    record.accepted_on = case.accepted_on
    record.closing_deadline = case.closing_deadline
    record.closing_notice_on = case.closing_notice_on
    record.extensions = [
        {
            "days": e.days,
            "reason": e.reason,
            "recorded_on": e.recorded_on.isoformat(),
            "closing_deadline": e.closing_deadline.isoformat(),
            "provisional": e.provisional,
        }
        for e in case.extensions
    ]
    record.sessions = [
        {"held_on": s.held_on.isoformat(), "summary": s.summary} for s in case.sessions
    ]
    record.settlement = _settlement_json(case.settlement) if case.settlement else None
    record.closed_on = case.closed_on
    record.termination_reason = case.termination_reason.value if case.termination_reason else None
    record.termination_note = case.termination_note
    record.acceptance_alert = case.acceptance_alert.value
    record.closing_alert = case.closing_alert.value
    record.updated_at = now


def _party(raw: dict[str, Any]) -> CaseParty:
    return CaseParty(name=raw["name"], uscc=raw.get("uscc"), org_id=raw.get("org_id"))


def _party_json(party: CaseParty) -> dict[str, Any]:
    return {"name": party.name, "uscc": party.uscc, "org_id": party.org_id}


def _settlement(raw: dict[str, Any]) -> Settlement:
    return Settlement(
        royalty_rate=Decimal(raw["royalty_rate"]),
        effective_from=date.fromisoformat(raw["effective_from"]),
        other_terms=raw["other_terms"],
        recorded_on=date.fromisoformat(raw["recorded_on"]),
        signatures={
            Side(side): Signature(s["org_id"], s["name"], datetime.fromisoformat(s["signed_at"]))
            for side, s in raw["signatures"].items()
        },
    )


def _settlement_json(settlement: Settlement) -> dict[str, Any]:
    return {
        "royalty_rate": str(settlement.royalty_rate),
        "effective_from": settlement.effective_from.isoformat(),
        "other_terms": settlement.other_terms,
        "recorded_on": settlement.recorded_on.isoformat(),
        "signatures": {
            side.value: {
                "org_id": s.org_id,
                "name": s.name,
                "signed_at": s.signed_at.isoformat(),
            }
            for side, s in settlement.signatures.items()
        },
    }
