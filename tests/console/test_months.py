"""The statistics page's months: the twelve ending this month unless the form names
some, every month of the span drawn (those without figures at zero)."""

from __future__ import annotations

from datetime import date

from ip_statistics.api.console.figures import Query, months_between, with_default_months


def test_without_months_the_page_reads_the_twelve_ending_this_month() -> None:
    query = with_default_months(Query("pledges"), date(2026, 3, 15))
    assert (query.month_from, query.month_to) == ("2025-04", "2026-03")
    named = Query("pledges", month_from="2024-01")
    assert with_default_months(named, date(2026, 3, 15)) == named


def test_every_month_of_the_span_is_a_bar() -> None:
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_between("2026-02", "2026-02") == ["2026-02"]


def test_a_span_that_is_not_one_draws_only_the_months_with_figures() -> None:
    assert months_between("2026-03", "2026-01") == []
    assert months_between("2026-13", "2027-01") == []
    assert months_between("March", "2026-01") == []
    assert months_between(None, "2026-01") == []
    assert months_between("2000-01", "2026-01") == []  # longer than the chart draws
