"""Patent term from the filing date, term compensation and remaining days."""

from __future__ import annotations

from datetime import date

import pytest

from shared.domain import PatentType, expiry_date, remaining_term_days, term_years


@pytest.mark.parametrize(
    ("patent_type", "filed", "expires"),
    [
        (PatentType.INVENTION, date(2017, 8, 1), date(2037, 7, 31)),
        (PatentType.INVENTION, date(2017, 7, 21), date(2037, 7, 20)),
        (PatentType.INVENTION, date(2003, 1, 1), date(2022, 12, 31)),
        (PatentType.UTILITY_MODEL, date(2017, 8, 1), date(2027, 7, 31)),
        (PatentType.DESIGN, date(2021, 6, 1), date(2036, 5, 31)),
        (PatentType.DESIGN, date(2021, 5, 31), date(2031, 5, 30)),
        (PatentType.DESIGN, date(2015, 3, 10), date(2025, 3, 9)),
    ],
)
def test_the_term_ends_the_day_before_the_anniversary(
    patent_type: PatentType, filed: date, expires: date
) -> None:
    assert expiry_date(patent_type, filed) == expires


@pytest.mark.parametrize(
    ("patent_type", "filed", "years"),
    [
        (PatentType.INVENTION, date(2010, 1, 1), 20),
        (PatentType.UTILITY_MODEL, date(2022, 1, 1), 10),
        (PatentType.DESIGN, date(2021, 5, 31), 10),
        (PatentType.DESIGN, date(2021, 6, 1), 15),
    ],
)
def test_term_years(patent_type: PatentType, filed: date, years: int) -> None:
    assert term_years(patent_type, filed) == years


def test_filed_on_29_february_with_a_leap_anniversary() -> None:
    assert expiry_date(PatentType.INVENTION, date(2020, 2, 29)) == date(2040, 2, 28)


def test_filed_on_29_february_without_a_leap_anniversary_runs_to_28_february() -> None:
    assert expiry_date(PatentType.UTILITY_MODEL, date(2020, 2, 29)) == date(2030, 2, 28)
    assert expiry_date(PatentType.DESIGN, date(2024, 2, 29)) == date(2039, 2, 28)


def test_filed_on_1_march_ends_on_the_last_day_of_february() -> None:
    assert expiry_date(PatentType.INVENTION, date(2000, 3, 1)) == date(2020, 2, 29)
    assert expiry_date(PatentType.UTILITY_MODEL, date(2011, 3, 1)) == date(2021, 2, 28)


def test_invention_term_compensation_extends_the_term() -> None:
    assert expiry_date(PatentType.INVENTION, date(2017, 8, 1), 100) == date(2037, 11, 8)
    assert expiry_date(PatentType.INVENTION, date(2017, 8, 1), 0) == date(2037, 7, 31)


@pytest.mark.parametrize("patent_type", [PatentType.UTILITY_MODEL, PatentType.DESIGN])
def test_only_inventions_get_term_compensation(patent_type: PatentType) -> None:
    with pytest.raises(ValueError, match="only invention patents receive term compensation"):
        expiry_date(patent_type, date(2022, 1, 1), 30)


def test_a_negative_or_non_integer_adjustment_is_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        expiry_date(PatentType.INVENTION, date(2022, 1, 1), -1)
    with pytest.raises(TypeError):
        expiry_date(PatentType.INVENTION, date(2022, 1, 1), True)
    with pytest.raises(TypeError):
        expiry_date(PatentType.INVENTION, date(2022, 1, 1), 1.5)  # type: ignore[arg-type]


def test_remaining_term_days() -> None:
    expiry = date(2037, 7, 31)
    assert remaining_term_days(expiry, date(2037, 7, 30)) == 1
    assert remaining_term_days(expiry, date(2037, 7, 31)) == 0
    assert remaining_term_days(expiry, date(2040, 1, 1)) == 0
    assert remaining_term_days(expiry, date(2036, 7, 31)) == 365
    assert remaining_term_days(expiry, date(2032, 7, 31)) == 1826
