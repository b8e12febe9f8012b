"""Working days and calendar months for legal deadlines, in Asia/Shanghai.

Deadlines such as "mediation accepted within 5 working days" or "file the licence within
3 months" count in China's official calendar: public holidays are days off, and some
weekend days are declared working days (调休) to bridge them. The dates come from the State
Council's yearly notice, kept in ``shared/domain/data/cn_working_calendar.json`` which the
operator updates every year. A year missing from the file is an error, never a guess: a
deadline silently computed without the holidays would be wrong by up to a week.
"""

from __future__ import annotations

import calendar as _gregorian
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

DEFAULT_CALENDAR_FILE = "data/cn_working_calendar.json"

_SATURDAY = 5


class CalendarDataError(ValueError):
    """The working-day calendar file is malformed; the message says where."""


class CalendarYearNotCovered(LookupError):
    """A date falls in a year the working-day calendar file does not list."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"the working-day calendar has no data for {year}: the operator must add {year}'s "
            f"public holidays and adjusted working days (调休) from the State Council "
            f"(国务院办公厅) notice to shared/domain/data/cn_working_calendar.json"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.year,)


def shanghai_date(moment: datetime) -> date:
    """The calendar date of an aware ``moment`` in Asia/Shanghai."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime has no defined date in Asia/Shanghai; pass an aware one")
    return moment.astimezone(SHANGHAI).date()


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months (``n`` may be negative), clamped to the month's end.

    2025-01-31 + 1 month = 2025-02-28; 2024-11-30 + 3 months = 2025-02-28.
    """
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    last_day = _gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last_day))


def _plain_date(d: date) -> date:
    # datetime is a subclass of date; its date in UTC or local time may not be the date in
    # Shanghai, so make the caller decide (shanghai_date) instead of guessing.
    if isinstance(d, datetime):
        raise TypeError("pass a date, not a datetime; convert it with shanghai_date()")
    return d


class WorkingDayCalendar:
    """China's official working-day calendar for the years it was given.

    Build it with :func:`load_default` (the packaged data file), :meth:`from_file` or
    :meth:`from_mapping`. Every method that looks at a specific day raises
    :class:`CalendarYearNotCovered` for a year outside :attr:`years`.
    """

    def __init__(
        self, years: Iterable[int], holidays: Iterable[date], adjusted_working_days: Iterable[date]
    ) -> None:
        self.years: frozenset[int] = frozenset(years)
        self.holidays: frozenset[date] = frozenset(holidays)
        self.adjusted_working_days: frozenset[date] = frozenset(adjusted_working_days)
        both = self.holidays & self.adjusted_working_days
        if both:
            raise CalendarDataError(
                f"{min(both).isoformat()} is listed both as a holiday and as a working day"
            )
        for day in sorted(self.adjusted_working_days):
            if day.weekday() < _SATURDAY:
                raise CalendarDataError(
                    f"adjusted working day {day.isoformat()} is a {day:%A}; only a Saturday "
                    "or Sunday can be declared a working day"
                )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> WorkingDayCalendar:
        """Build from the parsed JSON document (see the data file's ``format`` note)."""
        years_data = data.get("years")
        if not isinstance(years_data, Mapping) or not years_data:
            raise CalendarDataError("the calendar needs a non-empty 'years' object")
        years: list[int] = []
        holidays: list[date] = []
        working: list[date] = []
        for key, entry in years_data.items():
            if not (isinstance(key, str) and len(key) == 4 and key.isdigit()):
                raise CalendarDataError(f"year key {key!r} is not a four-digit year")
            if not isinstance(entry, Mapping):
                raise CalendarDataError(f"years.{key} must be an object")
            years.append(int(key))
            holidays += _dates(entry, key, "holidays")
            working += _dates(entry, key, "adjusted_working_days")
        return cls(years, holidays, working)

    @classmethod
    def from_file(cls, path: Path | str) -> WorkingDayCalendar:
        """Load a calendar JSON file (same format as the packaged one)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CalendarDataError(f"{path} is not valid JSON: {exc}") from exc
        if not isinstance(data, Mapping):
            raise CalendarDataError(f"{path} must hold a JSON object")
        return cls.from_mapping(data)

    def _require(self, d: date) -> date:
        d = _plain_date(d)
        if d.year not in self.years:
            raise CalendarYearNotCovered(d.year)
        return d

    def is_public_holiday(self, d: date) -> bool:
        """True on a day off of a public holiday (including the weekend days joined to it)."""
        return self._require(d) in self.holidays

    def is_working_day(self, d: date) -> bool:
        """True on an official working day: a weekday that is no holiday, or an adjusted
        working weekend day (调休)."""
        d = self._require(d)
        if d in self.adjusted_working_days:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < _SATURDAY

    def add_working_days(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (before it if ``n`` is negative); ``d``
        itself is not counted. ``n == 0`` returns ``d`` unchanged.

        A request received on Friday 2025-01-24 with "5 working days" runs to 2025-02-07:
        Sunday 26 January is a working day, 28 January to 4 February are the Spring Festival.
        """
        d = self._require(d)
        step = timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def roll_forward(self, d: date) -> date:
        """``d`` if it is a working day, else the next working day: a deadline falling on a
        day off moves to the next working day (Civil Code Art. 203)."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_months(self, d: date, n: int) -> date:
        """``d`` plus ``n`` calendar months, clamped to the month's end; see
        :func:`add_months`. Combine with :meth:`roll_forward` for a legal deadline."""
        return add_months(_plain_date(d), n)


def _dates(entry: Mapping[str, Any], year: str, field: str) -> list[date]:
    values = entry.get(field, [])
    if not isinstance(values, list):
        raise CalendarDataError(f"years.{year}.{field} must be a list of ISO dates")
    result = []
    for value in values:
        try:
            result.append(date.fromisoformat(value))
        except (TypeError, ValueError) as exc:
            raise CalendarDataError(
                f"years.{year}.{field}: {value!r} is not an ISO date (YYYY-MM-DD)"
            ) from exc
    return result


@lru_cache(maxsize=1)
def load_default() -> WorkingDayCalendar:
    """The calendar from the packaged data file, loaded once per process."""
    source = resources.files("shared.domain").joinpath(DEFAULT_CALENDAR_FILE)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CalendarDataError(f"{DEFAULT_CALENDAR_FILE} is not valid JSON: {exc}") from exc
    return WorkingDayCalendar.from_mapping(data)
