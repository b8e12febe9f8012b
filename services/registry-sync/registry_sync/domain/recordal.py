"""A recordal with the patent office: a licence's filing (备案) or a transfer's
registration (转让登记), which registry-sync submits on the parties' behalf.

States::

    pending --submit--> submitted --decision--> registered
       |                    |                \\-> refused
       +-> refused (the office refused it at the counter)

A submission the office could not take (unreachable, late, 5xx, garbage) stays pending
with a later attempt; the recordal's id is the idempotency key, so a submission repeated
after a lost answer is the same submission at the office.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from registry_sync.domain.patent_office import OfficeDecision, OfficeOutcome

# How long a worker holds a claimed recordal before another may take it over.
LEASE = timedelta(minutes=2)


class RecordalKind(StrEnum):
    LICENSE_FILING = "license_filing"
    TRANSFER_REGISTRATION = "transfer_registration"


class RecordalStatus(StrEnum):
    PENDING = "pending"
    SUBMITTED = "submitted"
    REGISTERED = "registered"
    REFUSED = "refused"


OPEN_STATUSES = frozenset({RecordalStatus.PENDING, RecordalStatus.SUBMITTED})


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff between attempts while the office is unavailable, and between polls."""

    first: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=6)
    poll: timedelta = timedelta(hours=1)

    def backoff(self, attempts: int, rng: random.Random | None = None) -> timedelta:
        """Doubling from ``first`` up to ``cap``, with up to a quarter of jitter, so that
        instances retrying together spread out."""
        base: timedelta = min(self.first * 2 ** max(attempts - 1, 0), self.cap)
        jitter: float = (rng or random).random() / 4
        return base * (1 + jitter)


@dataclass
class Recordal:
    id: str
    kind: RecordalKind
    # The licence or the deal the recordal is for: one recordal each.
    source_reference: str
    application_number: str
    # The request as it goes to the office (see ``adapters/patent_office.py``).
    request: dict[str, Any]
    parties_uscc: tuple[str, ...]
    created_at: datetime
    status: RecordalStatus = RecordalStatus.PENDING
    office_reference: str | None = None
    submitted_at: datetime | None = None
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)
    number: str | None = None
    decided_on: date | None = None
    announced_on: date | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES

    def submitted(self, office_reference: str, now: datetime, policy: RetryPolicy) -> bool:
        """The office gave its receipt (or named the first submission of a duplicate);
        False if the recordal was no longer pending (nothing changes)."""
        if self.status is not RecordalStatus.PENDING:
            return False
        self.status = RecordalStatus.SUBMITTED
        self.office_reference = office_reference
        self.submitted_at = now
        self.attempts += 1
        self.last_error = None
        self.next_attempt_at = now + policy.poll
        return True

    def unavailable(self, error: str, now: datetime, policy: RetryPolicy) -> None:
        """The office did not answer usefully: try again after the backoff."""
        self.attempts += 1
        self.last_error = error
        self.next_attempt_at = now + policy.backoff(self.attempts)

    def still_processing(self, now: datetime, policy: RetryPolicy) -> None:
        self.last_error = None
        self.next_attempt_at = now + policy.poll

    def decided(self, outcome: OfficeOutcome) -> bool:
        """The office's decision; True when it changed the recordal. A status that goes
        backwards at the office (processing after a decision) changes nothing: the
        first decision stands."""
        if not self.open or outcome.decision is OfficeDecision.PROCESSING:
            return False
        if outcome.decision is OfficeDecision.REFUSED:
            self.refused(outcome.reasons)
            return True
        self.status = RecordalStatus.REGISTERED
        self.number = outcome.number
        self.decided_on = outcome.decided_on
        self.announced_on = outcome.announced_on
        self.next_attempt_at = None
        self.last_error = None
        return True

    def refused(self, reasons: tuple[str, ...]) -> None:
        self.status = RecordalStatus.REFUSED
        self.reasons = reasons
        self.next_attempt_at = None
        self.last_error = None
