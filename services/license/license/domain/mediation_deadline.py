"""Mediation deadlines (调解期限) and the reminders the deadline watch owes for them.

Acceptance is decided within :data:`ACCEPTANCE_WORKING_DAYS` working days of the
request, the request day not counted, in the official calendar with its adjusted working
weekends; mediation closes within :data:`CLOSING_DAYS` calendar days of the acceptance
(plus recorded extensions), a deadline on a day off moving to the next working day
(Civil Code Art. 203). A reminder is owed :data:`NOTICE_WORKING_DAYS` working days
before a deadline, an alarm once it has passed; the deadline day itself is in time.

The calendar covers the years whose State Council holiday notice the operator added
(next year's is published each November). A party is never refused mediation for a year
it lacks: such a deadline waits (:class:`CountedDeadline`) until the calendar covers it,
the acceptance deadline unknown, the closing deadline provisional at the plain calendar
day, which rolling to a working day can only move later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from license.domain.dispute import Extension, MediationStatus
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


def acceptance_deadline(requested_on: date, calendar: WorkingDayCalendar) -> date:
    """The last day to decide acceptance: the 5th working day after the request.
    Raises :class:`CalendarYearNotCovered` for a year the calendar lacks."""
    return calendar.add_working_days(requested_on, ACCEPTANCE_WORKING_DAYS)


def plain_closing_day(accepted_on: date, extended_days: int) -> date:
    """Acceptance day + 30 calendar days (+ extensions), before rolling to a working day."""
    return accepted_on + timedelta(days=CLOSING_DAYS + extended_days)


def closing_deadline(accepted_on: date, extended_days: int, calendar: WorkingDayCalendar) -> date:
    """Acceptance day + 30 calendar days (+ extensions), rolled to a working day."""
    return calendar.roll_forward(plain_closing_day(accepted_on, extended_days))


def notice_day(deadline: date, calendar: WorkingDayCalendar) -> date:
    """The day the reminder is owed: 3 working days before ``deadline``."""
    return calendar.add_working_days(deadline, -NOTICE_WORKING_DAYS)


@dataclass(frozen=True)
class CountedDeadline:
    """A deadline and its reminder day; or, while the calendar lacks ``missing_year``,
    the day known so far (none for the acceptance, the plain day for the closing) and no
    reminder day."""

    day: date | None
    notice_on: date | None
    missing_year: int | None = None

    @property
    def provisional(self) -> bool:
        return self.missing_year is not None


def count_acceptance(requested_on: date, calendar: WorkingDayCalendar) -> CountedDeadline:
    try:
        deadline = acceptance_deadline(requested_on, calendar)
        return CountedDeadline(deadline, notice_day(deadline, calendar))
    except CalendarYearNotCovered as missing:
        return CountedDeadline(None, None, missing.year)


def count_closing(
    accepted_on: date, extended_days: int, calendar: WorkingDayCalendar
) -> CountedDeadline:
    try:
        deadline = closing_deadline(accepted_on, extended_days, calendar)
        return CountedDeadline(deadline, notice_day(deadline, calendar))
    except CalendarYearNotCovered as missing:
        return CountedDeadline(plain_closing_day(accepted_on, extended_days), None, missing.year)


def alert_level(deadline: date, notice_on: date, today: date) -> DeadlineAlert:
    """The deadline day itself is still in time."""
    if today > deadline:
        return DeadlineAlert.OVERDUE
    if today >= notice_on:
        return DeadlineAlert.DUE
    return DeadlineAlert.NONE


def alert_rank(level: DeadlineAlert) -> int:
    return _ALERT_RANK[level]


class CaseDeadlines:
    """A mediation case's deadlines as the deadline watch reads them (mixed into
    ``MediationCase``, whose fields these are)."""

    status: MediationStatus
    requested_on: date
    acceptance_deadline: date | None
    acceptance_notice_on: date | None
    accepted_on: date | None
    closing_deadline: date | None
    closing_notice_on: date | None
    extensions: tuple[Extension, ...]
    calendar_year_missing: int | None
    acceptance_alert: DeadlineAlert
    closing_alert: DeadlineAlert

    @property
    def acceptance_deadline_pending(self) -> int | None:
        """The year the calendar lacks to count the acceptance deadline, if it does."""
        return self.calendar_year_missing if self.acceptance_deadline is None else None

    @property
    def closing_deadline_provisional(self) -> bool:
        return self.closing_deadline is not None and self.closing_notice_on is None

    def count_deadlines(self, calendar: WorkingDayCalendar) -> None:
        """Count each deadline not counted yet that ``calendar`` covers; one it does not
        waits, with the year it lacks in ``calendar_year_missing`` (the earliest first)."""
        missing = None
        if self.acceptance_notice_on is None:
            acceptance = count_acceptance(self.requested_on, calendar)
            self.acceptance_deadline = acceptance.day
            self.acceptance_notice_on = acceptance.notice_on
            missing = acceptance.missing_year
        if self.accepted_on is not None and self.closing_notice_on is None:
            closing = count_closing(self.accepted_on, self._extended_days(), calendar)
            self.closing_deadline = closing.day
            self.closing_notice_on = closing.notice_on
            missing = missing or closing.missing_year
        self.calendar_year_missing = missing

    def open_deadline(self) -> tuple[Deadline, date, date, DeadlineAlert] | None:
        """The deadline running now: (which, its day, its reminder day, alert sent); none
        while it waits for the calendar."""
        if self.status is MediationStatus.REQUESTED:
            if self.acceptance_deadline is None or self.acceptance_notice_on is None:
                return None
            return (
                Deadline.ACCEPTANCE,
                self.acceptance_deadline,
                self.acceptance_notice_on,
                self.acceptance_alert,
            )
        if self.status is MediationStatus.ACCEPTED:
            if self.closing_deadline is None or self.closing_notice_on is None:
                return None
            return (
                Deadline.CLOSING,
                self.closing_deadline,
                self.closing_notice_on,
                self.closing_alert,
            )
        return None

    def next_alert(self, today: date) -> tuple[Deadline, DeadlineAlert] | None:
        """The reminder or alarm owed ``today``, when none for it (or a later) was sent."""
        running = self.open_deadline()
        if running is None:
            return None
        which, deadline, notice_on, sent = running
        level = alert_level(deadline, notice_on, today)
        if alert_rank(level) > alert_rank(sent):
            return which, level
        return None

    def mark_alert_sent(self, which: Deadline, level: DeadlineAlert) -> None:
        if which is Deadline.ACCEPTANCE:
            self.acceptance_alert = level
        else:
            self.closing_alert = level

    def _extended_days(self) -> int:
        return sum(e.days for e in self.extensions)
