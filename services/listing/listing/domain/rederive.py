"""Re-deriving catalogued patents' industry codes when the concordance changes: one job
goes through the catalogue in application-number order, a batch at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class RederiveState(StrEnum):
    QUEUED = "queued"  # requested, no batch done yet
    RUNNING = "running"
    DONE = "done"


@dataclass(kw_only=True)
class RederiveJob:
    """One pass over the catalogue with the concordance ``concordance_version``;
    ``after`` is the last application number examined (the keyset of the next batch)."""

    job_id: str
    concordance_version: str
    requested_by_org_id: str
    state: RederiveState = RederiveState.QUEUED
    after: str | None = None
    examined: int = 0
    changed: int = 0
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None

    def advance(self, last: str | None, examined: int, changed: int, now: datetime) -> None:
        """Record a batch: ``examined`` patents up to ``last``, ``changed`` of them given
        other codes. A batch that found no patent past ``after`` ends the job."""
        self.examined += examined
        self.changed += changed
        self.updated_at = now
        if examined == 0:
            self.state = RederiveState.DONE
            self.finished_at = now
            return
        self.after = last
        self.state = RederiveState.RUNNING
