"""Running royalties (提成费): reporting periods, due dates and the amount due.

The declaration's ``payment_schedule`` is free text written by the patentee, such as
"每年3月31日前按上一年度净销售额支付". The service reads from it only what it needs:

- the period: quarterly when the text mentions a quarter (季), monthly when it says
  每月 / 按月 / 月度, otherwise the calendar year;
- the due date: for yearly periods, a "M月D日" in the text is the day of the following
  year by which the report and the payment are due; otherwise (and for quarters and
  months) :data:`DEFAULT_GRACE_DAYS` days after the period ends.

Periods follow the calendar (years, quarters, months), the first starting on the day the
licence took effect and the last ending with the licence term.

The amount due is ``base × rate / 100`` computed exactly with :class:`~decimal.Decimal`
and rounded once, half-up, to the fen (0.005 yuan rounds up to 0.01).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from license.domain.errors import (
    RoyaltyAlreadyReported,
    RoyaltyPeriodNotEnded,
    RoyaltyPeriodNotReported,
)
from shared.domain import Money

# Reports and payments are due this long after a period without an explicit date.
DEFAULT_GRACE_DAYS = 30

_DAY_OF_YEAR = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")


class ReportingFrequency(StrEnum):
    ANNUAL = "annual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


class RoyaltyBase(StrEnum):
    NET_SALES = "net_sales"
    PROFIT = "profit"


@dataclass(frozen=True)
class RoyaltyPeriod:
    start: date
    end: date
    due_date: date


@dataclass(frozen=True)
class RoyaltySchedule:
    frequency: ReportingFrequency
    annual_due: tuple[int, int] | None = None  # (month, day) of the following year
    grace_days: int = DEFAULT_GRACE_DAYS

    @classmethod
    def from_text(cls, text: str | None) -> RoyaltySchedule:
        text = text or ""
        if "季" in text:
            return cls(ReportingFrequency.QUARTERLY)
        if any(word in text for word in ("每月", "按月", "月度")):
            return cls(ReportingFrequency.MONTHLY)
        match = _DAY_OF_YEAR.search(text)
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and 1 <= day <= 31:
                return cls(ReportingFrequency.ANNUAL, annual_due=(month, day))
        return cls(ReportingFrequency.ANNUAL)

    def periods(self, start: date, end: date) -> list[RoyaltyPeriod]:
        """The reporting periods of a licence in force from ``start`` to ``end``."""
        periods: list[RoyaltyPeriod] = []
        current = start
        while current <= end:
            period_end = min(self._calendar_end(current), end)
            periods.append(RoyaltyPeriod(current, period_end, self._due(period_end)))
            current = period_end + timedelta(days=1)
        return periods

    def _calendar_end(self, d: date) -> date:
        if self.frequency is ReportingFrequency.ANNUAL:
            return date(d.year, 12, 31)
        if self.frequency is ReportingFrequency.QUARTERLY:
            last_month = (d.month - 1) // 3 * 3 + 3
            return date(d.year, last_month, calendar.monthrange(d.year, last_month)[1])
        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])

    def _due(self, period_end: date) -> date:
        if self.frequency is ReportingFrequency.ANNUAL and self.annual_due is not None:
            month, day = self.annual_due
            year = period_end.year + 1
            return date(year, month, min(day, calendar.monthrange(year, month)[1]))
        return period_end + timedelta(days=self.grace_days)


def royalty_due(base_amount: Money, rate_percent: Decimal) -> Money:
    """``rate_percent`` % of the reported base, exact, rounded half-up to the fen once."""
    return base_amount.percent(rate_percent)


class BreachKind(StrEnum):
    """Missed obligations recorded against a party (信用监管)."""

    ROYALTY_REPORT_OVERDUE = "royalty_report_overdue"
    ROYALTY_PAYMENT_OVERDUE = "royalty_payment_overdue"


@dataclass
class RoyaltyPeriodState:
    """One period of a running royalty: its report, the amount due and what was paid."""

    id: str
    start: date
    end: date
    due_date: date
    rate: Decimal
    base_amount: Money | None = None
    amount_due: Money | None = None
    amount_paid: Money = field(default_factory=Money.zero)
    report_breach_recorded: bool = False
    payment_breach_recorded: bool = False

    @property
    def reported(self) -> bool:
        return self.amount_due is not None

    def report(self, base_amount: Money, today: date) -> Money:
        """Fix the amount due from the reported base; the period must have ended."""
        if today <= self.end:
            raise RoyaltyPeriodNotEnded(
                f"the royalty period {self.start} – {self.end} has not ended; report it from "
                f"{self.end + timedelta(days=1)}"
            )
        if self.reported:
            raise RoyaltyAlreadyReported(
                f"the royalty period {self.start} – {self.end} is already reported "
                f"({self.amount_due} due)"
            )
        self.base_amount = base_amount
        self.amount_due = royalty_due(base_amount, self.rate)
        return self.amount_due

    def settle(self, amount: Money) -> None:
        """Match a payment to this period's report."""
        if not self.reported:
            raise RoyaltyPeriodNotReported(
                f"the royalty period {self.start} – {self.end} is not reported yet; a payment "
                "is matched to a period once its amount due is known"
            )
        self.amount_paid = self.amount_paid + amount

    @property
    def outstanding(self) -> Money | None:
        if self.amount_due is None:
            return None
        rest = self.amount_due - self.amount_paid
        return rest if rest > Money.zero() else Money.zero()

    def breach_due(self, today: date) -> BreachKind | None:
        """The breach the watch owes this period ``today``, if any (each kind once)."""
        if today <= self.due_date:
            return None
        if not self.reported:
            return None if self.report_breach_recorded else BreachKind.ROYALTY_REPORT_OVERDUE
        outstanding = self.outstanding
        if outstanding is not None and not outstanding.is_zero():
            return None if self.payment_breach_recorded else BreachKind.ROYALTY_PAYMENT_OVERDUE
        return None
