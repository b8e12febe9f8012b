"""Credit records' and objections' rows <-> domain objects. Only the credit area reads
these tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from license.credit.models import CreditObjectionRecord, CreditRecordRecord
from license.domain.credit import (
    Change,
    CreditKind,
    CreditParty,
    CreditPeriod,
    CreditRecord,
    CreditState,
    Objection,
)


def credit_record(record: CreditRecordRecord) -> CreditRecord:
    period = None
    if record.period_from is not None and record.period_until is not None:
        period = CreditPeriod(record.period_from, record.period_until)
    return CreditRecord(
        id=record.id,
        party=CreditParty(uscc=record.party_uscc, name=record.party_name),
        kind=CreditKind(record.kind),
        state=CreditState(record.state),
        facts=record.facts,
        evidence=tuple(record.evidence),
        period=period,
        license_id=record.license_id,
        breach_id=record.breach_id,
        recorded_by_org_id=record.recorded_by_org_id,
        created_at=record.created_at,
        effective_on=record.effective_on,
        ended_at=record.ended_at,
        history=[_change(c) for c in record.history],
    )


def apply_credit_record(row: CreditRecordRecord, record: CreditRecord) -> None:
    row.party_uscc = record.party.uscc
    row.party_name = record.party.name
    row.kind = record.kind.value
    row.state = record.state.value
    row.facts = record.facts
    row.evidence = list(record.evidence)
    row.period_from = record.period.start if record.period else None
    row.period_until = record.period.end if record.period else None
    row.license_id = record.license_id
    row.breach_id = record.breach_id
    row.recorded_by_org_id = record.recorded_by_org_id
    row.effective_on = record.effective_on
    row.created_at = record.created_at
    row.ended_at = record.ended_at
    row.history = [_change_json(c) for c in record.history]


def credit_record_row(record: CreditRecord) -> CreditRecordRecord:
    row = CreditRecordRecord(
        id=record.id,
        party_uscc=record.party.uscc,
        party_name=record.party.name,
        kind=record.kind.value,
        state=record.state.value,
        created_at=record.created_at,
    )
    apply_credit_record(row, record)
    return row


def objection(row: CreditObjectionRecord) -> Objection:
    return Objection(
        id=row.id,
        record_id=row.record_id,
        grounds=row.grounds,
        evidence=tuple(row.evidence),
        filed_by_org_id=row.filed_by_org_id,
        filed_at=row.filed_at,
        decide_by=row.decide_by,
        upheld=row.upheld,
        reason=row.reason,
        decided_at=row.decided_at,
        decided_by_org_id=row.decided_by_org_id,
        overdue_alerted=row.overdue_alerted,
    )


def objection_row(o: Objection) -> CreditObjectionRecord:
    return CreditObjectionRecord(
        id=o.id,
        record_id=o.record_id,
        grounds=o.grounds,
        evidence=list(o.evidence),
        filed_by_org_id=o.filed_by_org_id,
        filed_at=o.filed_at,
        decide_by=o.decide_by,
        upheld=o.upheld,
        reason=o.reason,
        decided_at=o.decided_at,
        decided_by_org_id=o.decided_by_org_id,
        overdue_alerted=o.overdue_alerted,
    )


def _change(raw: dict[str, Any]) -> Change:
    return Change(
        at=datetime.fromisoformat(raw["at"]),
        by_org_id=raw.get("by_org_id"),
        action=raw["action"],
        state=CreditState(raw["state"]),
        note=raw.get("note"),
    )


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "at": change.at.isoformat(),
        "by_org_id": change.by_org_id,
        "action": change.action,
        "state": change.state.value,
        "note": change.note,
    }
