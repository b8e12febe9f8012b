"""Open-licence terms: the payment mode and standard, the term and, for a running
royalty, its reporting schedule (CNIPA guidance caps the standards)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from listing.domain.errors import (
    FeeOverCap,
    RoyaltyScheduleInvalid,
    TermNotAllowed,
    TermsIncomplete,
)
from listing.domain.patent import Patent
from shared.domain.terms import PaymentMode, ReportingPeriod

# CNIPA guidance on open-licence royalty standards.
MAX_FIXED_FEE = Decimal("20000000")
MAX_RATE_NET_SALES = Decimal("20")
MAX_RATE_PROFIT = Decimal("40")

# The payment modes with a running royalty: only they have reporting periods.
ROYALTY_MODES = frozenset({PaymentMode.RUNNING_ROYALTY, PaymentMode.ENTRY_FEE_PLUS_ROYALTY})

# A declared royalty schedule's report and payment are due this many days after a
# period at the earliest and at the latest.
MIN_DUE_DAYS = 1
MAX_DUE_DAYS = 180


class RoyaltyBase(StrEnum):
    NET_SALES = "net_sales"
    PROFIT = "profit"


_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


@dataclass(frozen=True)
class RoyaltySchedule:
    """When a running royalty is reported and paid, declared as data rather than left to
    the prose of ``payment_schedule``, so that licensee and patentee see the same periods
    and due dates. Periods follow the calendar (years, half-years, quarters, months);
    each is due ``due_days_after_period`` days after it ends or, for annual periods,
    on ``annual_due`` ("MM-DD") of the following year: exactly one of the two."""

    period: ReportingPeriod
    due_days_after_period: int | None = None
    annual_due: str | None = None

    def validate(self) -> None:
        """Raise :class:`RoyaltyScheduleInvalid` naming the field that is wrong."""
        if self.annual_due is None and self.due_days_after_period is None:
            raise RoyaltyScheduleInvalid(
                "royalty_schedule needs a due rule: due_days_after_period (days after each "
                "period ends), or for annual periods annual_due (MM-DD of the following year)",
                field="royalty_schedule.due_days_after_period",
            )
        if self.annual_due is not None:
            if self.period is not ReportingPeriod.ANNUAL:
                raise RoyaltyScheduleInvalid(
                    f"royalty_schedule.annual_due applies to annual periods only; a "
                    f"{self.period.value} schedule states due_days_after_period",
                    field="royalty_schedule.annual_due",
                )
            if self.due_days_after_period is not None:
                raise RoyaltyScheduleInvalid(
                    "royalty_schedule states either annual_due or due_days_after_period, not both",
                    field="royalty_schedule.annual_due",
                )
            _check_day_of_every_year(self.annual_due)
            return
        days = self.due_days_after_period
        if days is not None and not MIN_DUE_DAYS <= days <= MAX_DUE_DAYS:
            raise RoyaltyScheduleInvalid(
                f"royalty_schedule.due_days_after_period must be {MIN_DUE_DAYS} to "
                f"{MAX_DUE_DAYS} days, not {days}",
                field="royalty_schedule.due_days_after_period",
            )


def _check_day_of_every_year(month_day: str) -> None:
    match = _MONTH_DAY.fullmatch(month_day)
    month, day = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if (month, day) == (2, 29):
        raise RoyaltyScheduleInvalid(
            "royalty_schedule.annual_due 02-29 is not a day of every year; declare 02-28 or 03-01",
            field="royalty_schedule.annual_due",
        )
    # A common year: every day it has comes back every year.
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2001, month)[1]):
        raise RoyaltyScheduleInvalid(
            f"royalty_schedule.annual_due {month_day!r} is not a day of the year (MM-DD, "
            "such as 03-31)",
            field="royalty_schedule.annual_due",
        )


@dataclass(frozen=True)
class LicenseTerms:
    payment_mode: PaymentMode
    term_start: date
    term_end: date
    lump_sum_fee: Decimal | None = None
    entry_fee: Decimal | None = None
    royalty_base: RoyaltyBase | None = None
    royalty_rate: Decimal | None = None
    payment_schedule: str | None = None
    royalty_schedule: RoyaltySchedule | None = None
    territory: str = "中国大陆"

    def validate(self, patent: Patent) -> None:
        """Raise the first rule the terms break, for this patent."""
        self._validate_mode()
        if self.royalty_schedule is not None:
            self.royalty_schedule.validate()
        if self.term_end <= self.term_start:
            raise TermNotAllowed("term_end must be after term_start")
        if _add_years(self.term_start, 1) > self.term_end + _ONE_DAY:
            raise TermNotAllowed(
                f"the licence term must be at least one year; "
                f"{self.term_start} to {self.term_end} is shorter"
            )
        if self.term_end > patent.expiry_date:
            raise TermNotAllowed(
                f"the licence term may not end after the patent expires on {patent.expiry_date}"
            )
        for name, fee in (("lump_sum_fee", self.lump_sum_fee), ("entry_fee", self.entry_fee)):
            if fee is not None and fee > MAX_FIXED_FEE:
                raise FeeOverCap(f"{name} {fee} CNY exceeds the cap of {MAX_FIXED_FEE} CNY")
        if self.royalty_rate is not None:
            cap = MAX_RATE_PROFIT if self.royalty_base is RoyaltyBase.PROFIT else MAX_RATE_NET_SALES
            if self.royalty_rate > cap:
                base = self.royalty_base.value if self.royalty_base else "net_sales"
                raise FeeOverCap(
                    f"royalty_rate {self.royalty_rate} % of {base} exceeds the cap of {cap} %"
                )

    def up_front_price(self) -> Decimal | None:
        """What a licence costs up front: the lump sum, the entry fee, or nothing (free);
        ``None`` for a running royalty alone (no fixed price to filter on)."""
        if self.payment_mode is PaymentMode.FREE:
            return Decimal("0")
        return self.lump_sum_fee if self.lump_sum_fee is not None else self.entry_fee

    def _validate_mode(self) -> None:
        mode = self.payment_mode
        needs = {
            PaymentMode.LUMP_SUM: ("lump_sum_fee",),
            PaymentMode.RUNNING_ROYALTY: ("royalty_base", "royalty_rate"),
            PaymentMode.ENTRY_FEE_PLUS_ROYALTY: ("entry_fee", "royalty_base", "royalty_rate"),
            PaymentMode.FREE: (),
        }[mode]
        missing = [n for n in needs if getattr(self, n) is None]
        if missing:
            raise TermsIncomplete(f"payment_mode {mode.value} needs {', '.join(missing)}")
        money_fields = ("lump_sum_fee", "entry_fee", "royalty_base", "royalty_rate")
        extra = [n for n in money_fields if n not in needs and getattr(self, n) is not None]
        if extra:
            raise TermsIncomplete(f"payment_mode {mode.value} takes no {', '.join(extra)}")
        if self.royalty_schedule is not None and mode not in ROYALTY_MODES:
            raise TermsIncomplete(
                f"payment_mode {mode.value} takes no royalty_schedule: a reporting schedule "
                "belongs to running_royalty and entry_fee_plus_royalty terms",
                field="royalty_schedule",
            )


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)
