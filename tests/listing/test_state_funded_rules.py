"""The five-year rule of state-funded patents (no infrastructure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from listing.domain.funding import flag_due_on, latest_grant_due


@pytest.mark.parametrize(
    ("granted", "flagged_from"),
    [
        (date(2021, 3, 10), date(2026, 3, 10)),
        # No 29 February five years on: the month's last day (Civil Code Art. 202).
        (date(2020, 2, 29), date(2025, 2, 28)),
        (date(2024, 2, 29), date(2029, 2, 28)),
        (date(2020, 12, 31), date(2025, 12, 31)),
    ],
)
def test_a_state_funded_patent_is_due_on_the_fifth_anniversary_of_its_grant(
    granted: date, flagged_from: date
) -> None:
    assert flag_due_on(granted) == flagged_from


@pytest.mark.parametrize(
    "today", [date(2026, 3, 10), date(2025, 2, 28), date(2028, 2, 29), date(2029, 3, 1)]
)
def test_the_sweep_takes_exactly_the_grants_due_by_today(today: date) -> None:
    """Every grant date up to the cut-off is due, and none after it."""
    cutoff = latest_grant_due(today)
    assert flag_due_on(cutoff) <= today
    assert flag_due_on(cutoff + timedelta(days=1)) > today


def test_29_february_grants_are_due_with_28_february_s() -> None:
    assert latest_grant_due(date(2025, 2, 28)) == date(2020, 2, 29)
    assert latest_grant_due(date(2025, 2, 27)) == date(2020, 2, 27)
