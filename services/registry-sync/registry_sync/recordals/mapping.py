"""Recordal rows <-> :class:`Recordal`, written once."""

from __future__ import annotations

from registry_sync.domain.recordal import Recordal, RecordalKind, RecordalStatus
from registry_sync.recordals.models import PatentOfficeRecordalRecord

_SAME = (
    "id",
    "source_reference",
    "application_number",
    "request",
    "office_reference",
    "submitted_at",
    "attempts",
    "next_attempt_at",
    "last_error",
    "number",
    "decided_on",
    "announced_on",
    "created_at",
)


def to_record(recordal: Recordal) -> PatentOfficeRecordalRecord:
    return PatentOfficeRecordalRecord(
        **{name: getattr(recordal, name) for name in _SAME},
        kind=recordal.kind.value,
        status=recordal.status.value,
        parties_uscc=list(recordal.parties_uscc),
        reasons=list(recordal.reasons),
    )


def to_recordal(record: PatentOfficeRecordalRecord) -> Recordal:
    return Recordal(
        **{name: getattr(record, name) for name in _SAME},
        kind=RecordalKind(record.kind),
        status=RecordalStatus(record.status),
        parties_uscc=tuple(record.parties_uscc),
        reasons=tuple(record.reasons),
    )
