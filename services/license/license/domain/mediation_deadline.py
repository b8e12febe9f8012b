"""Mediation deadlines (调解期限) and the reminders the deadline watch owes for them.

Acceptance is decided within :data:`ACCEPTANCE_WORKING_DAYS` working days of the
request, the request day not counted, in the official calendar with its adjusted working
weekends; mediation closes within :data:`CLOSING_DAYS` calendar days of the acceptance
(plus recorded extensions), a deadline on a day off moving to the next working day
(Civil Code Art. 203). A reminder is owed :data:`NOTICE_WORKING_DAYS` working days
before a deadline, an alarm once it has passed; the deadline day itself is in time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from enum import StrEnum

from license.domain.errors_mediation import WorkingCalendarYearMissing
from shared.domain.calendar import CalendarYearNotCovered, WorkingDayCalendar

# CNIPA mediation measures: acceptance decided within 5 working days of the request,
# mediation closed within 30 days of acceptance in principle.
ACCEPTANCE_WORKING_DAYS = 5
CLOSING_DAYS = 30
# The deadline watch reminds this many working days before a deadline.
NOTICE_WORKING_DAYS = 3


class Deadline(StrEnum):
    ACCEPTANCE = "acceptance"
    CLOSING = "closing"


class DeadlineAlert(StrEnum):
    """What the deadline watch last sent for a deadline."""

    NONE = "none"
    DUE = "due"
    OVERDUE = "overdue"


_ALERT_RANK = {DeadlineAlert.NONE: 0, DeadlineAlert.DUE: 1, DeadlineAlert.OVERDUE: 2}


@contextmanager
def _counted_in_calendar() -> Iterator[None]:
    try:
        yield
    except CalendarYearNotCovered as missing:
        raise WorkingCalendarYearMissing(
            f"the working-day calendar has no data for {missing.year}, so a mediation "
            "deadline cannot be counted; the operator adds that year's State Council "
            "holiday notice to the calendar file",
            year=missing.year,
        ) from missing


def acceptance_deadline(requested_on: date, calendar: WorkingDayCalendar) -> date:
    """The last day to decide acceptance: the 5th working day after the request."""
    with _counted_in_calendar():
        return calendar.add_working_days(requested_on, ACCEPTANCE_WORKING_DAYS)


def closing_deadline(accepted_on: date, extended_days: int, calendar: WorkingDayCalendar) -> date:
    """Acceptance day + 30 calendar days (+ extensions), rolled to a working day."""
    with _counted_in_calendar():
        return calendar.roll_forward(accepted_on + timedelta(days=CLOSING_DAYS + extended_days))


def notice_day(deadline: date, calendar: WorkingDayCalendar) -> date:
    """The day the reminder is owed: 3 working days before ``deadline``."""
    with _counted_in_calendar():
        return calendar.add_working_days(deadline, -NOTICE_WORKING_DAYS)


def alert_level(deadline: date, notice_on: date, today: date) -> DeadlineAlert:
    """The deadline day itself is still in time."""
    if today > deadline:
        return DeadlineAlert.OVERDUE
    if today >= notice_on:
        return DeadlineAlert.DUE
    return DeadlineAlert.NONE


def alert_rank(level: DeadlineAlert) -> int:
    return _ALERT_RANK[level]
