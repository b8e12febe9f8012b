"""Running royalties (提成费): reporting periods, due dates and the amount due.

The terms a licence accepted say when its royalty is reported and paid. Since the
declaration states it as data (``royalty_schedule``), the licence follows it exactly:
the period (annual, semiannual, quarterly, monthly) and the due rule, a number of days
after each period ends or, for annual periods, a day of the following year. Such a
schedule is ``declared``.

Terms announced before schedules were declared carry only the patentee's free text
``payment_schedule``, such as "每年3月31日前按上一年度净销售额支付". For them, and only
for them, :meth:`RoyaltySchedule.from_text` reads what it can, and the schedule is
``inferred`` (the API says so on every period):

- the period: quarterly when the text mentions a quarter (季), monthly when it says
  每月 / 按月 / 月度, otherwise the calendar year (it never infers half-years);
- the due date: for yearly periods, a "M月D日" in the text is the day of the following
  year by which the report and the payment are due; otherwise (and for quarters and
  months) :data:`INFERRED_DUE_DAYS` days after the period ends.

Periods follow the calendar (years, half-years, quarters, months), the first starting on
the day the licence took effect and the last ending with the licence term.

The amount due is ``base × rate / 100`` computed exactly with :class:`~decimal.Decimal`
and rounded once, half-up, to the fen (0.005 yuan rounds up to 0.01).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from license.domain.errors import (
    RoyaltyAlreadyReported,
    RoyaltyPeriodNotEnded,
    RoyaltyPeriodNotReported,
)
from license.domain.errors_endings import RoyaltyPeriodCancelled
from shared.domain import Money

# An inferred schedule without a date in its text is due this long after each period.
INFERRED_DUE_DAYS = 30

_DAY_OF_YEAR = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")


class ReportingFrequency(StrEnum):
    ANNUAL = "annual"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"


# How many calendar months one period of each frequency spans.
_MONTHS = {
    ReportingFrequency.ANNUAL: 12,
    ReportingFrequency.SEMIANNUAL: 6,
    ReportingFrequency.QUARTERLY: 3,
    ReportingFrequency.MONTHLY: 1,
}


class ScheduleSource(StrEnum):
    """Where a licence's royalty schedule comes from."""

    DECLARED = "declared"  # the terms' royalty_schedule
    INFERRED = "inferred"  # read from the terms' payment_schedule text (older terms)


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
    """Calendar periods of ``frequency``, each due ``due_days_after_period`` days after
    it ends or, for annual periods, on ``annual_due`` (month, day) of the following
    year: exactly one of the two."""

    frequency: ReportingFrequency
    due_days_after_period: int | None = None
    annual_due: tuple[int, int] | None = None
    source: ScheduleSource = ScheduleSource.DECLARED

    def __post_init__(self) -> None:
        if (self.due_days_after_period is None) == (self.annual_due is None):
            raise ValueError("a royalty schedule has one due rule: days after, or annual_due")
        if self.annual_due is not None and self.frequency is not ReportingFrequency.ANNUAL:
            raise ValueError("annual_due is a rule of annual periods")

    @classmethod
    def from_text(cls, text: str | None) -> RoyaltySchedule:
        """The schedule of terms that declared none, read from ``payment_schedule``."""
        text = text or ""
        inferred = ScheduleSource.INFERRED
        if "季" in text:
            return cls(ReportingFrequency.QUARTERLY, INFERRED_DUE_DAYS, source=inferred)
        if any(word in text for word in ("每月", "按月", "月度")):
            return cls(ReportingFrequency.MONTHLY, INFERRED_DUE_DAYS, source=inferred)
        match = _DAY_OF_YEAR.search(text)
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and 1 <= day <= 31:
                return cls(ReportingFrequency.ANNUAL, annual_due=(month, day), source=inferred)
        return cls(ReportingFrequency.ANNUAL, INFERRED_DUE_DAYS, source=inferred)

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
        """The last day of the calendar year, half-year, quarter or month holding ``d``."""
        months = _MONTHS[self.frequency]
        last_month = (d.month - 1) // months * months + months
        return date(d.year, last_month, calendar.monthrange(d.year, last_month)[1])

    def _due(self, period_end: date) -> date:
        if self.annual_due is not None:
            month, day = self.annual_due
            year = period_end.year + 1
            # Only an inferred "2月29日" (or "4月31日") needs this; declared days exist
            # every year.
            return date(year, month, min(day, calendar.monthrange(year, month)[1]))
        assert self.due_days_after_period is not None  # one rule or the other
        return period_end + timedelta(days=self.due_days_after_period)


def royalty_due(base_amount: Money, rate_percent: Decimal) -> Money:
    """``rate_percent`` % of the reported base, exact, rounded half-up to the fen once."""
    return base_amount.percent(rate_percent)


@dataclass(frozen=True)
class RoyaltyRateAmendment:
    """A new royalty rate a mediation settlement agreed, from ``effective_from``: the
    licence's accepted terms stay as they were; its royalty periods from that day that
    were not yet reported use ``royalty_rate``."""

    royalty_rate: Decimal
    effective_from: date
    mediation_case_id: str
    agreed_on: date


class BreachKind(StrEnum):
    """Missed obligations recorded against a party (信用监管)."""

    ROYALTY_REPORT_OVERDUE = "royalty_report_overdue"
    ROYALTY_PAYMENT_OVERDUE = "royalty_payment_overdue"


@dataclass
class RoyaltyPeriodState:
    """One period of a running royalty: its report, the amount due and what was paid."""

    id: str
    license_id: str
    start: date
    end: date
    due_date: date
    royalty_base: str
    rate: Decimal
    schedule_source: ScheduleSource
    base_amount: Money | None = None
    amount_due: Money | None = None
    amount_paid: Money = field(default_factory=Money.zero)
    report_breach_recorded: bool = False
    payment_breach_recorded: bool = False
    reported_at: datetime | None = None
    reported_by_org_id: str | None = None
    # The licence's ended_on, when the period started after the licence ended unreported.
    cancelled_on: date | None = None

    @property
    def reported(self) -> bool:
        return self.amount_due is not None

    def report(
        self,
        base_amount: Money,
        today: date,
        *,
        reported_at: datetime | None = None,
        reported_by_org_id: str | None = None,
    ) -> Money:
        """Fix the amount due from the reported base; the period must have ended."""
        if self.cancelled_on is not None:
            raise RoyaltyPeriodCancelled(
                f"the royalty period {self.start} – {self.end} starts after the licence "
                f"ended ({self.cancelled_on}): nothing is reported for it"
            )
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
        self.reported_at = reported_at
        self.reported_by_org_id = reported_by_org_id
        return self.amount_due

    def amend_rate(self, rate: Decimal) -> None:
        """Use ``rate`` from now on: a new rate agreed for this period (a mediation
        settlement); a reported period keeps the amount its report fixed."""
        if self.reported:
            raise RoyaltyAlreadyReported(
                f"the royalty period {self.start} – {self.end} is already reported at "
                f"{self.rate} %; its amount due stays"
            )
        self.rate = rate

    def settle(self, amount: Money) -> None:
        """Match a payment to this period's report."""
        if self.cancelled_on is not None:
            raise RoyaltyPeriodCancelled(
                f"the royalty period {self.start} – {self.end} starts after the licence "
                f"ended ({self.cancelled_on}): nothing is paid for it"
            )
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

    def mark_breach_recorded(self, kind: BreachKind) -> None:
        """Remember that the breach of ``kind`` is recorded, so the watch records it once."""
        if kind is BreachKind.ROYALTY_REPORT_OVERDUE:
            self.report_breach_recorded = True
        else:
            self.payment_breach_recorded = True
