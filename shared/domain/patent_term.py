"""Patent term (专利权期限) counted from the filing date (Patent Law Art. 42).

Invention 20 years, utility model 10 years, design 15 years (10 years for designs filed
before 2021-06-01, when the fourth amendment of the Patent Law took effect). The term ends on
the day before the anniversary of the filing date: filed 2017-08-01, an invention expires at
the end of 2037-07-31. Invention patents may be extended by patent term compensation for
unreasonable grant delay or for new-drug approval (Art. 42 (2) and (3)); that is the
``term_adjustment_days``.
"""

from __future__ import annotations

from datetime import date, timedelta

from shared.domain.application_number import PatentType

# The fourth amendment of the Patent Law (15-year design term) applies to filings from here.
DESIGN_15_YEARS_FROM = date(2021, 6, 1)


def term_years(patent_type: PatentType, filing_date: date) -> int:
    """The statutory term in years for a patent of ``patent_type`` filed on ``filing_date``."""
    if patent_type is PatentType.INVENTION:
        return 20
    if patent_type is PatentType.UTILITY_MODEL:
        return 10
    return 15 if filing_date >= DESIGN_15_YEARS_FROM else 10


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        # Filed on 29 February and the anniversary year is not a leap year: the term runs
        # to the end of February (civil law: a missing corresponding day is the month's
        # last day), so the "anniversary" is 1 March and the last day 28 February.
        return date(start.year + years, 3, 1)


def expiry_date(patent_type: PatentType, filing_date: date, term_adjustment_days: int = 0) -> date:
    """The last day the patent is in force, before any early lapse.

    ``term_adjustment_days`` is patent term compensation, which only invention patents can
    receive; a negative value, or a non-zero one for a utility model or design, is a
    ``ValueError``.
    """
    if isinstance(term_adjustment_days, bool) or not isinstance(term_adjustment_days, int):
        raise TypeError("term_adjustment_days must be an int")
    if term_adjustment_days < 0:
        raise ValueError(f"term adjustment must not be negative, got {term_adjustment_days}")
    if term_adjustment_days and patent_type is not PatentType.INVENTION:
        raise ValueError(
            f"only invention patents receive term compensation, not {patent_type.value} "
            f"({term_adjustment_days} days given)"
        )
    years = term_years(patent_type, filing_date)
    last_day = _anniversary(filing_date, years) - timedelta(days=1)
    return last_day + timedelta(days=term_adjustment_days)


def remaining_term_days(expiry: date, on: date) -> int:
    """Whole days of protection left after ``on``: 0 on the expiry day and after it.

    On the day before expiry the answer is 1 (the expiry day itself remains).
    """
    return max(0, (expiry - on).days)
