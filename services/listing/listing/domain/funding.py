"""State-funded patents not exploited (seed 001 三(六)): a patent from a state-funded
project that nobody has exploited five years after its grant is flagged, so that the
state may license it.

Exploitation (an :class:`Implementation`) is a licence of any kind taken, a transfer,
implementation declared by the owner, or a justified reason (正当理由) with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from shared.domain import add_months

UNEXPLOITED_YEARS = 5


class ImplementationKind(StrEnum):
    LICENSED = "licensed"  # a licence of any kind taken (license's LicenseGranted)
    TRANSFERRED = "transferred"  # the office registered a transfer
    IMPLEMENTED = "implemented"  # declared by the owner
    JUSTIFIED_REASON = "justified_reason"  # 正当理由, with evidence


# What the owning institution (or the operator) may declare; the others are learnt.
DECLARED_KINDS = frozenset({ImplementationKind.IMPLEMENTED, ImplementationKind.JUSTIFIED_REASON})


@dataclass(frozen=True, kw_only=True)
class Implementation:
    """One fact that counts as exploitation of a patent."""

    id: str
    application_number: str
    kind: ImplementationKind
    occurred_on: date
    reference: str | None = None  # the licence id or the transfer's reference
    description: str | None = None
    evidence_document_ids: tuple[str, ...] = ()
    recorded_by_org_id: str | None = None
    recorded_at: datetime


def flag_due_on(grant_date: date) -> date:
    """The day a state-funded patent granted on ``grant_date`` is flagged if nothing
    exploited it: the fifth anniversary of its grant. A grant on 29 February is flagged
    on 28 February, the month's last day (Civil Code Art. 202, as for every period
    counted in years here)."""
    return add_months(grant_date, 12 * UNEXPLOITED_YEARS)


def latest_grant_due(today: date) -> date:
    """The latest grant date whose patents are due for flagging on ``today``: on 28
    February of a year after a leap year, 29 February's grants are due as well."""
    cutoff = add_months(today, -12 * UNEXPLOITED_YEARS)
    following = cutoff + timedelta(days=1)
    return following if flag_due_on(following) <= today else cutoff
