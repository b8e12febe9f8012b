"""A licence's filing deadline (备案) and how close an unfiled licence is to it.

Implementing Regulations: a licence contract is filed within 3 months of taking effect.
The deadline watch reminds ``notice_days`` before the deadline and raises an alarm once
it has passed, each once (``PatentLicense.next_filing_alert``).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from shared.domain import add_months

FILING_PERIOD_MONTHS = 3

# Reminder sent this many days before the filing deadline (a setting may override it).
FILING_NOTICE_DAYS = 15


class FilingAlert(StrEnum):
    """How close an unfiled licence is to its filing deadline: ``due`` from the reminder
    day (``notice_days`` before the deadline), ``overdue`` once the deadline has passed.

    Read from the deadline and the day (:func:`filing_alert_level`). The deadline watch
    stores the last level it sent an event for; that only moves forward, so each reminder
    and each alarm is sent once."""

    NONE = "none"
    DUE = "due"
    OVERDUE = "overdue"


ALERT_RANK = {FilingAlert.NONE: 0, FilingAlert.DUE: 1, FilingAlert.OVERDUE: 2}


def filing_alert_level(deadline: date, today: date, notice_days: int) -> FilingAlert:
    """The alert level of an unfiled licence with filing deadline ``deadline`` on
    ``today``: the deadline day itself is still in time."""
    if today > deadline:
        return FilingAlert.OVERDUE
    if today >= deadline - timedelta(days=notice_days):
        return FilingAlert.DUE
    return FilingAlert.NONE


def filing_deadline(effective_date: date) -> date:
    """Last day to file (备案) a licence that took effect on ``effective_date``:
    three calendar months later, clamped to the month's end (11-30 -> 02-28)."""
    return add_months(effective_date, FILING_PERIOD_MONTHS)
