"""The working-day deadlines of credit supervision, counted in the official calendar:
the party objects within 15 working days of a record taking effect, the regulator
decides an objection within 10 working days of its filing.

The calendar covers the years the State Council has published (each November the
operator adds the next one). A deadline reaching a year it lacks is not guessed: it is
*pending*, naming the year it waits for, and counted once the calendar covers it. The
anchor days (the day of effect, the filing day) are kept, so nothing is lost meanwhile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.domain.calendar import CalendarYearNotCovered, WorkingDayCalendar

OBJECTION_WINDOW_WORKING_DAYS = 15
DECISION_WORKING_DAYS = 10


@dataclass(frozen=True)
class WorkingDeadline:
    """A deadline's last day, or (``day`` None) the year the calendar lacks to count it."""

    day: date | None
    awaits_year: int | None = None

    @property
    def pending(self) -> bool:
        return self.day is None

    def passed(self, today: date) -> bool:
        """Whether ``today`` is after the last day; never while pending, so nobody loses
        a right, or is reported late, because our calendar data lags."""
        return self.day is not None and today > self.day


def working_days_after(start: date, days: int, calendar: WorkingDayCalendar) -> WorkingDeadline:
    """``days`` working days after ``start`` (not counted), or pending."""
    try:
        return WorkingDeadline(calendar.add_working_days(start, days))
    except CalendarYearNotCovered as missing:
        return WorkingDeadline(None, missing.year)


def objection_window(effective_on: date, calendar: WorkingDayCalendar) -> WorkingDeadline:
    """The last day the party may object to a record in effect from ``effective_on``."""
    return working_days_after(effective_on, OBJECTION_WINDOW_WORKING_DAYS, calendar)


def decision_due(filed_on: date, calendar: WorkingDayCalendar) -> WorkingDeadline:
    """The day the regulator decides an objection filed on ``filed_on`` by."""
    return working_days_after(filed_on, DECISION_WORKING_DAYS, calendar)
