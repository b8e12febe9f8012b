"""China's working-day calendar (holidays and 调休) and calendar-month arithmetic."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from shared.domain import (
    SHANGHAI,
    CalendarDataError,
    CalendarYearNotCovered,
    WorkingDayCalendar,
    add_months,
    load_default,
    shanghai_date,
)

DATA_FILE = Path(__file__).resolve().parents[3] / "shared/domain/data/cn_working_calendar.json"


@pytest.fixture
def cal() -> WorkingDayCalendar:
    return load_default()


def days(start: str, end: str) -> list[date]:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def test_the_packaged_file_covers_2023_to_2026(cal: WorkingDayCalendar) -> None:
    assert {2023, 2024, 2025, 2026} <= cal.years


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_the_packaged_file_agrees_with_the_chinesecalendar_package(
    cal: WorkingDayCalendar, year: int
) -> None:
    """Every day of the years both know, compared with a maintained second source: a
    holiday or an adjusted working weekend typed wrong here would move a legal deadline."""
    import chinese_calendar

    differing = [
        (day.isoformat(), cal.is_working_day(day))
        for day in days(f"{year}-01-01", f"{year}-12-31")
        if cal.is_working_day(day) != chinese_calendar.is_workday(day)
    ]
    assert differing == []


def test_the_packaged_file_tells_the_operator_to_verify_it() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert "国务院办公厅" in data["source"]
    assert "国务院办公厅" in data["verify"]
    assert "operator" in data["verify"].lower()


def test_load_default_is_cached() -> None:
    assert load_default() is load_default()


def test_adjusted_working_days_are_all_weekend_days(cal: WorkingDayCalendar) -> None:
    assert cal.adjusted_working_days
    assert all(d.weekday() >= 5 for d in cal.adjusted_working_days)


@pytest.mark.parametrize(
    ("year", "periods", "working"),
    [
        (
            2025,
            [
                ("2025-01-01", "2025-01-01"),
                ("2025-01-28", "2025-02-04"),
                ("2025-04-04", "2025-04-06"),
                ("2025-05-01", "2025-05-05"),
                ("2025-05-31", "2025-06-02"),
                ("2025-10-01", "2025-10-08"),
            ],
            ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
        ),
        (
            2026,
            [
                ("2026-01-01", "2026-01-03"),
                ("2026-02-15", "2026-02-23"),
                ("2026-04-04", "2026-04-06"),
                ("2026-05-01", "2026-05-05"),
                ("2026-06-19", "2026-06-21"),
                ("2026-09-25", "2026-09-27"),
                ("2026-10-01", "2026-10-07"),
            ],
            ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
        ),
    ],
)
def test_the_state_council_arrangement(
    cal: WorkingDayCalendar, year: int, periods: list[tuple[str, str]], working: list[str]
) -> None:
    holidays = {d for start, end in periods for d in days(start, end)}
    assert {d for d in cal.holidays if d.year == year} == holidays
    assert {d for d in cal.adjusted_working_days if d.year == year} == {
        date.fromisoformat(d) for d in working
    }
    for d in holidays:
        assert cal.is_public_holiday(d)
        assert not cal.is_working_day(d)
    for text in working:
        assert cal.is_working_day(date.fromisoformat(text))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-03-03", True),  # ordinary Monday
        ("2025-03-01", False),  # ordinary Saturday
        ("2025-03-02", False),  # ordinary Sunday
        ("2025-01-26", True),  # Sunday made a working day before the Spring Festival
        ("2025-01-28", False),  # Spring Festival eve, a Tuesday
        ("2025-10-08", False),  # Wednesday inside the National Day holiday
        ("2025-10-11", True),  # Saturday made a working day
        ("2026-01-04", True),  # Sunday made a working day after New Year
        ("2026-02-23", False),  # Monday, last day of the Spring Festival
        ("2026-09-25", False),  # Mid-Autumn, a Friday
        ("2026-12-31", True),  # ordinary Thursday
    ],
)
def test_is_working_day(cal: WorkingDayCalendar, day: str, working: bool) -> None:
    assert cal.is_working_day(date.fromisoformat(day)) is working


def test_add_working_days_skips_the_spring_festival(cal: WorkingDayCalendar) -> None:
    # Fri 24 Jan; Sun 26 (调休) and Mon 27 count; 28 Jan - 4 Feb are off; 5, 6, 7 Feb count.
    assert cal.add_working_days(date(2025, 1, 24), 5) == date(2025, 2, 7)
    assert cal.add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)


def test_add_working_days_across_national_day(cal: WorkingDayCalendar) -> None:
    # Mediation acceptance within 5 working days of a request on Tue 30 Sep 2025.
    assert cal.add_working_days(date(2025, 9, 30), 5) == date(2025, 10, 14)


def test_add_working_days_zero_and_negative(cal: WorkingDayCalendar) -> None:
    assert cal.add_working_days(date(2025, 10, 4), 0) == date(2025, 10, 4)
    assert cal.add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert cal.add_working_days(date(2025, 3, 3), -1) == date(2025, 2, 28)


def test_add_working_days_across_the_year_end(cal: WorkingDayCalendar) -> None:
    # 1-3 January 2026 are off and Sunday 4 January is worked in exchange.
    assert cal.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert cal.add_working_days(date(2025, 12, 31), 2) == date(2026, 1, 5)


def test_an_uncovered_year_is_an_error_naming_the_year(cal: WorkingDayCalendar) -> None:
    with pytest.raises(CalendarYearNotCovered) as caught:
        cal.is_working_day(date(2027, 1, 4))
    assert caught.value.year == 2027
    message = str(caught.value)
    assert "2027" in message
    assert "operator must add" in message
    assert "cn_working_calendar.json" in message


def test_counting_into_an_uncovered_year_fails_instead_of_guessing(
    cal: WorkingDayCalendar,
) -> None:
    with pytest.raises(CalendarYearNotCovered, match="2027"):
        cal.add_working_days(date(2026, 12, 28), 10)
    with pytest.raises(CalendarYearNotCovered, match="2022"):
        cal.add_working_days(date(2023, 1, 4), -3)


def test_roll_forward_moves_a_deadline_off_a_holiday(cal: WorkingDayCalendar) -> None:
    assert cal.roll_forward(date(2025, 10, 1)) == date(2025, 10, 9)
    assert cal.roll_forward(date(2025, 10, 9)) == date(2025, 10, 9)
    assert cal.roll_forward(date(2026, 2, 15)) == date(2026, 2, 24)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-15", 3, "2025-04-15"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-11-30", 3, "2026-02-28"),
        ("2025-08-31", 1, "2025-09-30"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-01-15", -1, "2024-12-15"),
        ("2025-01-15", 0, "2025-01-15"),
        ("2025-01-15", 24, "2027-01-15"),
    ],
)
def test_add_months_clamps_to_the_month_end(start: str, months: int, expected: str) -> None:
    result = add_months(date.fromisoformat(start), months)
    assert result == date.fromisoformat(expected)


def test_the_calendar_adds_months_even_beyond_its_years(cal: WorkingDayCalendar) -> None:
    # Pure month arithmetic needs no holiday data.
    assert cal.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_a_licence_filing_deadline(cal: WorkingDayCalendar) -> None:
    # Licence effective 2025-07-01: file within 3 months; 1 Oct is National Day -> 9 Oct.
    assert cal.roll_forward(cal.add_months(date(2025, 7, 1), 3)) == date(2025, 10, 9)


def test_a_datetime_is_refused_so_the_caller_picks_the_timezone(
    cal: WorkingDayCalendar,
) -> None:
    moment = datetime(2025, 3, 3, 12, tzinfo=UTC)
    with pytest.raises(TypeError, match="shanghai_date"):
        cal.is_working_day(moment)
    with pytest.raises(TypeError):
        cal.add_months(moment, 1)


def test_shanghai_date() -> None:
    assert SHANGHAI.key == "Asia/Shanghai"
    assert shanghai_date(datetime(2025, 1, 1, 16, 30, tzinfo=UTC)) == date(2025, 1, 2)
    assert shanghai_date(datetime(2025, 1, 1, 15, 59, tzinfo=UTC)) == date(2025, 1, 1)
    eastern = timezone(timedelta(hours=-5))
    assert shanghai_date(datetime(2025, 1, 1, 12, tzinfo=eastern)) == date(2025, 1, 2)
    with pytest.raises(ValueError, match="naive"):
        shanghai_date(datetime(2025, 1, 1, 12))


def minimal(**year: Any) -> dict[str, Any]:
    return {"years": {"2030": {"holidays": [], "adjusted_working_days": [], **year}}}


def test_from_mapping_builds_a_calendar() -> None:
    cal = WorkingDayCalendar.from_mapping(
        minimal(holidays=["2030-01-01"], adjusted_working_days=["2030-01-05"])
    )
    assert cal.years == {2030}
    assert not cal.is_working_day(date(2030, 1, 1))
    assert cal.is_working_day(date(2030, 1, 5))
    assert not cal.is_working_day(date(2030, 1, 6))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "non-empty 'years'"),
        ({"years": {}}, "non-empty 'years'"),
        ({"years": {"30": {}}}, "'30' is not a four-digit year"),
        ({"years": {"2030": []}}, "years.2030 must be an object"),
        (minimal(holidays="2030-01-01"), "years.2030.holidays must be a list"),
        (minimal(holidays=["2030-13-01"]), "'2030-13-01' is not an ISO date"),
        (minimal(adjusted_working_days=[20300105]), "20300105 is not an ISO date"),
        (minimal(adjusted_working_days=["2030-01-07"]), "2030-01-07 is a Monday"),
        (
            minimal(holidays=["2030-01-05"], adjusted_working_days=["2030-01-05"]),
            "both as a holiday and as a working day",
        ),
    ],
)
def test_malformed_calendar_data_is_rejected_with_its_location(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(CalendarDataError, match=message):
        WorkingDayCalendar.from_mapping(data)


def test_from_file(tmp_path: Path) -> None:
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps(minimal(holidays=["2030-01-01"])), encoding="utf-8")
    assert WorkingDayCalendar.from_file(path).is_public_holiday(date(2030, 1, 1))
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CalendarDataError, match="not valid JSON"):
        WorkingDayCalendar.from_file(path)
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(CalendarDataError, match="JSON object"):
        WorkingDayCalendar.from_file(path)
