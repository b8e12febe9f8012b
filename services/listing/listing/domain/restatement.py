"""Restating the catalogue: one job publishes every catalogued patent's current facts
(``PatentRestated``) in application-number order, a batch at a time, for the services
that keep a view of the catalogue and started after patents were registered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class RestatementState(StrEnum):
    QUEUED = "queued"  # requested, no batch done yet
    RUNNING = "running"
    DONE = "done"


@dataclass(kw_only=True)
class RestatementJob:
    """One pass over the catalogue; ``after`` is the last application number restated
    (the keyset of the next batch)."""

    job_id: str
    requested_by_org_id: str
    state: RestatementState = RestatementState.QUEUED
    after: str | None = None
    restated: int = 0
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None

    def advance(self, last: str | None, restated: int, now: datetime) -> None:
        """Record a batch of ``restated`` patents up to ``last``. A batch that found no
        patent past ``after`` ends the job."""
        self.restated += restated
        self.updated_at = now
        if restated == 0:
            self.state = RestatementState.DONE
            self.finished_at = now
            return
        self.after = last
        self.state = RestatementState.RUNNING
