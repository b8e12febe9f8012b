"""The royalty arithmetic and schedule, declared or inferred from text, as domain rules
(no infrastructure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from license import mapping
from license.domain.declaration import LicenseTerms
from license.domain.royalty import (
    ReportingFrequency,
    RoyaltySchedule,
    ScheduleSource,
    royalty_due,
)
from shared.domain import Money
from shared.events.schemas import (
    OpenLicenseRoyaltySchedule,
    OpenLicenseTerms,
    PaymentMode,
    ReportingPeriod,
)

ANNUAL = ReportingFrequency.ANNUAL
SEMIANNUAL = ReportingFrequency.SEMIANNUAL
QUARTERLY = ReportingFrequency.QUARTERLY
MONTHLY = ReportingFrequency.MONTHLY


def dates(schedule: RoyaltySchedule, start: date, end: date) -> list[tuple[date, date, date]]:
    return [(p.start, p.end, p.due_date) for p in schedule.periods(start, end)]


@pytest.mark.parametrize(
    ("base", "rate", "due"),
    [
        ("1000000.00", "3.5", "35000.00"),
        ("1.00", "2.5", "0.03"),  # 0.025: half-up, not banker's 0.02
        ("100.10", "3.5", "3.50"),  # 3.5035
        ("0.20", "2.5", "0.01"),  # 0.005 rounds up
        ("0.19", "2.5", "0.00"),  # 0.00475
        ("999999999.99", "20", "200000000.00"),  # 199999999.998
        ("123456.78", "12.3456", "15241.48"),  # 15241.481...: exact, then one rounding
    ],
)
def test_the_amount_due_is_rate_times_base_rounded_half_up_to_the_fen(
    base: str, rate: str, due: str
) -> None:
    assert royalty_due(Money(Decimal(base)), Decimal(rate)) == Money(Decimal(due))


def test_a_yearly_schedule_with_a_date_is_due_on_that_day_of_the_next_year() -> None:
    schedule = RoyaltySchedule.from_text("每年3月31日前按上一年度净销售额支付")
    assert schedule.frequency is ReportingFrequency.ANNUAL
    assert schedule.source is ScheduleSource.INFERRED
    periods = schedule.periods(date(2026, 11, 23), date(2028, 6, 30))
    assert [(p.start, p.end, p.due_date) for p in periods] == [
        (date(2026, 11, 23), date(2026, 12, 31), date(2027, 3, 31)),
        (date(2027, 1, 1), date(2027, 12, 31), date(2028, 3, 31)),
        (date(2028, 1, 1), date(2028, 6, 30), date(2029, 3, 31)),
    ]


def test_quarterly_and_monthly_schedules_are_due_thirty_days_after_each_period() -> None:
    quarterly = RoyaltySchedule.from_text("每季度结束后30日内支付")
    assert [
        (p.start, p.end, p.due_date) for p in quarterly.periods(date(2026, 2, 10), date(2026, 7, 5))
    ] == [
        (date(2026, 2, 10), date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 30)),
        (date(2026, 7, 1), date(2026, 7, 5), date(2026, 8, 4)),
    ]
    monthly = RoyaltySchedule.from_text("按月结算")
    assert monthly.frequency is ReportingFrequency.MONTHLY
    assert [p.end for p in monthly.periods(date(2028, 1, 15), date(2028, 3, 1))] == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 1),
    ]
    assert RoyaltySchedule.from_text(None).frequency is ReportingFrequency.ANNUAL
    assert RoyaltySchedule.from_text(None).periods(date(2026, 5, 1), date(2026, 5, 1))[
        0
    ].due_date == date(2026, 5, 31)


def test_declared_half_years_end_on_30_june_and_31_december() -> None:
    schedule = RoyaltySchedule(SEMIANNUAL, due_days_after_period=60)
    assert schedule.source is ScheduleSource.DECLARED
    assert dates(schedule, date(2026, 2, 10), date(2028, 3, 15)) == [
        (date(2026, 2, 10), date(2026, 6, 30), date(2026, 8, 29)),
        (date(2026, 7, 1), date(2026, 12, 31), date(2027, 3, 1)),  # 2027 has no 29 February
        (date(2027, 1, 1), date(2027, 6, 30), date(2027, 8, 29)),
        (date(2027, 7, 1), date(2027, 12, 31), date(2028, 2, 29)),  # 2028 does
        (date(2028, 1, 1), date(2028, 3, 15), date(2028, 5, 14)),  # the term ends mid-half
    ]


def test_declared_quarters_are_due_the_declared_days_after_each_quarter() -> None:
    schedule = RoyaltySchedule(QUARTERLY, due_days_after_period=45)
    assert dates(schedule, date(2027, 11, 5), date(2028, 12, 31)) == [
        (date(2027, 11, 5), date(2027, 12, 31), date(2028, 2, 14)),
        (date(2028, 1, 1), date(2028, 3, 31), date(2028, 5, 15)),
        (date(2028, 4, 1), date(2028, 6, 30), date(2028, 8, 14)),
        (date(2028, 7, 1), date(2028, 9, 30), date(2028, 11, 14)),
        (date(2028, 10, 1), date(2028, 12, 31), date(2029, 2, 14)),
    ]


def test_month_ends_follow_leap_years() -> None:
    schedule = RoyaltySchedule(MONTHLY, due_days_after_period=1)
    assert dates(schedule, date(2027, 1, 31), date(2027, 3, 1))[:2] == [
        (date(2027, 1, 31), date(2027, 1, 31), date(2027, 2, 1)),  # begins on a month's end
        (date(2027, 2, 1), date(2027, 2, 28), date(2027, 3, 1)),
    ]
    assert dates(schedule, date(2028, 2, 1), date(2028, 4, 30))[0] == (
        date(2028, 2, 1),
        date(2028, 2, 29),
        date(2028, 3, 1),
    )
    half = RoyaltySchedule(SEMIANNUAL, due_days_after_period=30)
    assert dates(half, date(2028, 6, 30), date(2028, 7, 1)) == [
        (date(2028, 6, 30), date(2028, 6, 30), date(2028, 7, 30)),
        (date(2028, 7, 1), date(2028, 7, 1), date(2028, 7, 31)),
    ]


def test_a_declared_annual_due_day_falls_in_the_following_year() -> None:
    schedule = RoyaltySchedule(ANNUAL, annual_due=(2, 28))
    assert dates(schedule, date(2027, 7, 1), date(2029, 6, 30)) == [
        (date(2027, 7, 1), date(2027, 12, 31), date(2028, 2, 28)),  # not 29 in a leap year
        (date(2028, 1, 1), date(2028, 12, 31), date(2029, 2, 28)),
        (date(2029, 1, 1), date(2029, 6, 30), date(2030, 2, 28)),
    ]
    assert dates(
        RoyaltySchedule(ANNUAL, due_days_after_period=90), date(2028, 1, 1), date(2028, 12, 31)
    ) == [
        (date(2028, 1, 1), date(2028, 12, 31), date(2029, 3, 31)),
    ]


def test_an_inferred_29_february_is_due_on_the_last_day_of_february() -> None:
    schedule = RoyaltySchedule.from_text("每年2月29日前支付上一年度提成费")
    assert schedule.annual_due == (2, 29)
    assert [p.due_date for p in schedule.periods(date(2026, 1, 1), date(2027, 12, 31))] == [
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


@pytest.mark.parametrize(
    ("frequency", "due_days", "annual_due"),
    [
        (QUARTERLY, None, None),  # no due rule
        (ANNUAL, 30, (3, 31)),  # two
        (QUARTERLY, None, (3, 31)),  # a day of the year for quarters
    ],
)
def test_a_schedule_has_exactly_one_due_rule(
    frequency: ReportingFrequency, due_days: int | None, annual_due: tuple[int, int] | None
) -> None:
    with pytest.raises(ValueError, match=r"one due rule|rule of annual periods"):
        RoyaltySchedule(frequency, due_days_after_period=due_days, annual_due=annual_due)


def test_terms_report_by_their_declared_schedule_and_older_terms_by_their_text() -> None:
    text = "每季度结束后30日内按该季度净销售额支付"
    older = LicenseTerms(
        PaymentMode.RUNNING_ROYALTY,
        date(2026, 1, 1),
        date(2030, 12, 31),
        royalty_base="net_sales",
        royalty_rate=Decimal("3.5"),
        payment_schedule=text,
    )
    assert older.reporting_schedule() == RoyaltySchedule(
        QUARTERLY, due_days_after_period=30, source=ScheduleSource.INFERRED
    )
    declared = RoyaltySchedule(MONTHLY, due_days_after_period=15)
    newer = LicenseTerms(
        PaymentMode.RUNNING_ROYALTY,
        date(2026, 1, 1),
        date(2030, 12, 31),
        royalty_base="net_sales",
        royalty_rate=Decimal("3.5"),
        payment_schedule=text,
        royalty_schedule=declared,
    )
    assert newer.reporting_schedule() is declared


@pytest.mark.parametrize(
    "declared",
    [
        OpenLicenseRoyaltySchedule(period=ReportingPeriod.SEMIANNUAL, due_days_after_period=60),
        OpenLicenseRoyaltySchedule(period=ReportingPeriod.ANNUAL, annual_due="03-01"),
    ],
)
def test_a_declared_schedule_survives_the_licences_copy_of_the_terms(
    declared: OpenLicenseRoyaltySchedule,
) -> None:
    announced = OpenLicenseTerms(
        payment_mode=PaymentMode.RUNNING_ROYALTY,
        royalty_base="net_sales",
        royalty_rate=Decimal("3.5"),
        royalty_schedule=declared,
        term_start=date(2026, 1, 1),
        term_end=date(2030, 12, 31),
    )
    copied = mapping.terms_json(mapping.terms(announced))
    assert copied == announced.model_dump(mode="json")
