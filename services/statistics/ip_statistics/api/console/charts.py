"""Charts as inline SVG, drawn on the server: nothing to load, nothing to run in the
browser, and they print and screenshot as the page does.

Each bar carries its label and value in ``data-`` attributes and a ``<title>`` (a screen
reader's and a hover's text); the chart's ``role="img"`` and ``aria-label`` name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

BAR_COLOUR = "#2f6db5"
AXIS_COLOUR = "#8a94a6"


@dataclass(frozen=True)
class Bar:
    key: str  # what the bar stands for (a month, a province code)
    label: str  # what the reader sees under or beside it
    value: Decimal


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    label = escape(title)
    # Every text in ``body`` was escaped where it was put in.
    return Markup(  # noqa: S704
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{label}">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def _empty(title: str, width: int) -> Markup:
    text = '<text x="16" y="40" class="chart-empty">暂无数据</text>'
    return _svg(width, 64, title, [text])


def monthly_bars(title: str, bars: list[Bar], *, width: int = 960, height: int = 280) -> Markup:
    """Vertical bars, one per month, in the order given."""
    if not bars:
        return _empty(title, width)
    top, bottom, left, right = 24, 40, 56, 16
    plot_h = height - top - bottom
    plot_w = width - left - right
    highest = max((b.value for b in bars), default=Decimal(0)) or Decimal(1)
    slot = plot_w / len(bars)
    bar_w = max(4.0, min(48.0, slot * 0.6))
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="{AXIS_COLOUR}" />',
        f'<text x="{left - 8}" y="{top + 4}" text-anchor="end" class="chart-axis">'
        f"{escape(_number(highest))}</text>",
        f'<text x="{left - 8}" y="{top + plot_h}" text-anchor="end" class="chart-axis">0</text>',
    ]
    for index, bar in enumerate(bars):
        h = float(bar.value / highest) * plot_h if bar.value > 0 else 0.0
        x = left + slot * index + (slot - bar_w) / 2
        y = top + plot_h - h
        centre = x + bar_w / 2
        body.append(
            f'<g class="bar" data-key="{escape(bar.key)}" data-value="{bar.value}">'
            f"<title>{escape(bar.label)}：{escape(_number(bar.value))}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="{BAR_COLOUR}" />'
            + (
                f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'class="chart-value">{escape(_number(bar.value))}</text>'
                if bar.value
                else ""
            )
            + f'<text x="{centre:.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
            f'class="chart-label">{escape(bar.label)}</text></g>'
        )
    return _svg(width, height, title, body)


def ranked_bars(title: str, bars: list[Bar], *, width: int = 960, most: int = 15) -> Markup:
    """Horizontal bars, largest first (provinces ranked), at most ``most`` of them."""
    ranked = sorted(bars, key=lambda b: (-b.value, b.label))[:most]
    if not ranked:
        return _empty(title, width)
    row_h, label_w, right = 26, 150, 90
    height = row_h * len(ranked) + 16
    plot_w = width - label_w - right
    highest = ranked[0].value or Decimal(1)
    body = []
    for index, bar in enumerate(ranked):
        y = 8 + index * row_h
        w = float(bar.value / highest) * plot_w if bar.value > 0 else 0.0
        body.append(
            f'<g class="bar" data-key="{escape(bar.key)}" data-value="{bar.value}">'
            f"<title>{escape(bar.label)}：{escape(_number(bar.value))}</title>"
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="chart-label">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{BAR_COLOUR}" />'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" class="chart-value">'
            f"{escape(_number(bar.value))}</text></g>"
        )
    return _svg(width, height, title, body)
