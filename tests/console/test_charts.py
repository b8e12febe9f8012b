"""The charts drawn on the server: every bar where its value puts it, text escaped."""

from __future__ import annotations

import re
from decimal import Decimal

from ip_statistics.api.console.charts import Bar, monthly_bars, ranked_bars


def _widths(svg: str) -> dict[str, float]:
    found = re.findall(r'data-key="([^"]+)".*?<rect [^>]*width="([\d.]+)"', svg)
    return {key: float(width) for key, width in found}


def _heights(svg: str) -> dict[str, float]:
    found = re.findall(r'data-key="([^"]+)".*?<rect [^>]*height="([\d.]+)"', svg)
    return {key: float(height) for key, height in found}


def test_monthly_bars_stand_in_proportion_to_their_values() -> None:
    svg = str(
        monthly_bars(
            "专利质押：按月件数",
            [Bar("2026-01", "2026-01", Decimal(2)), Bar("2026-02", "2026-02", Decimal(4))],
        )
    )
    heights = _heights(svg)
    assert heights["2026-02"] == 2 * heights["2026-01"] > 0
    assert 'aria-label="专利质押：按月件数"' in svg


def test_ranked_bars_put_the_largest_first_and_escape_names() -> None:
    svg = str(
        ranked_bars(
            "按省份",
            [
                Bar("510000", "四川省", Decimal(1)),
                Bar("440000", "广东省", Decimal(3)),
                Bar("x", "<script>", Decimal(2)),
            ],
        )
    )
    assert re.findall(r'data-key="([^"]+)"', svg) == ["440000", "x", "510000"]
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    widths = _widths(svg)
    assert widths["440000"] == 3 * widths["510000"]


def test_a_chart_without_data_says_so() -> None:
    assert "暂无数据" in str(monthly_bars("空", []))
    assert "暂无数据" in str(ranked_bars("空", []))
