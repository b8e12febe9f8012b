"""What reconciliation's use cases are asked to do: plain values, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass

from registry_sync.domain.reconciliation import MismatchReason


@dataclass(frozen=True)
class RequestReconciliationRun:
    """The operator asks for a run now (the worker takes it)."""

    requested_by: str | None


@dataclass(frozen=True)
class ListMismatches:
    run_id: str
    limit: int
    after_id: int | None = None
    reason: MismatchReason | None = None
    application_number: str | None = None
