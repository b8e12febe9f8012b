"""Reconciliation rows <-> :class:`ReconciliationRun` and :class:`Mismatch`, written once."""

from __future__ import annotations

from dataclasses import fields

from registry_sync.domain.reconciliation import (
    FilingType,
    Mismatch,
    MismatchReason,
    ReconciliationRun,
    RunStatus,
    RunTrigger,
)
from registry_sync.reconciliation.models import (
    ReconciliationMismatchRecord,
    ReconciliationRunRecord,
)


def to_run_record(run: ReconciliationRun) -> ReconciliationRunRecord:
    return ReconciliationRunRecord(
        id=run.id,
        run_on=run.run_on,
        trigger=run.trigger.value,
        status=run.status.value,
        requested_by=run.requested_by,
        requested_at=run.requested_at,
        completed_at=run.completed_at,
        counts=run.counts,
    )


def to_run(record: ReconciliationRunRecord) -> ReconciliationRun:
    return ReconciliationRun(
        id=record.id,
        run_on=record.run_on,
        trigger=RunTrigger(record.trigger),
        status=RunStatus(record.status),
        requested_by=record.requested_by,
        requested_at=record.requested_at,
        completed_at=record.completed_at,
        counts=record.counts,
    )


_SAME = tuple(f.name for f in fields(Mismatch) if f.name not in ("reason", "filing_type"))


def to_mismatch(record: ReconciliationMismatchRecord) -> Mismatch:
    assert record.id is not None  # stored rows have it
    return Mismatch(
        **{name: getattr(record, name) for name in _SAME},
        reason=MismatchReason(record.reason),
        filing_type=FilingType(record.filing_type),
    )
