"""The royalty arithmetic and schedule, as domain rules (no infrastructure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from license.domain.royalty import ReportingFrequency, RoyaltySchedule, royalty_due
from shared.domain import Money


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
