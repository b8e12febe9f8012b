"""What the statistics, inventory and home pages show, read from the statistics API as
the signed-in user (the API decides which figures that user may read)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from markupsafe import Markup

from ip_statistics.api.console.charts import Bar, monthly_bars, ranked_bars
from ip_statistics.api.console.client import Answer, PublicApis

UNKNOWN = "未知"
PARTY_TYPES = {
    "university": "高校",
    "research_institute": "科研机构",
    "enterprise": "企业",
    "individual": "个人",
}
FIGURES = "/v1/statistics/figures"
# The monthly chart's months when the form names none: the twelve ending this month.
DEFAULT_MONTHS = 12
# At most this many month bars: a longer span is drawn as the months that have figures.
MOST_MONTHS = 60
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# The details' names in the console (the API's keys are English).
DETAIL_NAMES = {
    "yes": "有意向 yes",
    "no": "无意向 no",
    "undecided": "待定 undecided",
    "campaign": "专项活动 campaign",
    "routine": "日常推送 routine",
    "willing": "有转化意愿 willing",
    "not_willing": "无转化意愿 not willing",
}
# The matching outcomes the inventory page shows, by the words their measure keys use.
MATCHING_WORDS = ("push", "match", "feedback", "opened")


@dataclass(frozen=True)
class Query:
    """The statistics page's form, as the statistics API's parameters."""

    measure: str
    month_from: str | None = None
    month_to: str | None = None
    region: str | None = None
    industry: str | None = None
    party_type: str | None = None

    def params(self, group_by: str | None = None) -> dict[str, str]:
        values = {
            "measure": self.measure,
            "from": self.month_from,
            "to": self.month_to,
            "region": self.region,
            "industry": self.industry,
            "party_type": self.party_type,
            "group_by": group_by,
        }
        return {k: v for k, v in values.items() if v}


def _month_index(text: str | None) -> int | None:
    found = _MONTH.match(text or "")
    if not found or not 1 <= int(found[2]) <= 12:
        return None
    return int(found[1]) * 12 + int(found[2]) - 1


def _month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def with_default_months(query: Query, today: date) -> Query:
    """The query, over the last twelve months when it names neither end."""
    if query.month_from or query.month_to:
        return query
    last = today.year * 12 + today.month - 1
    return replace(
        query, month_from=_month_text(last - DEFAULT_MONTHS + 1), month_to=_month_text(last)
    )


def months_between(first: str | None, last: str | None) -> list[str]:
    """Every month from ``first`` to ``last``: the monthly chart's bars, those without
    figures at zero. Empty when either end is not a month or the span is too long."""
    start, end = _month_index(first), _month_index(last)
    if start is None or end is None or not 0 <= end - start < MOST_MONTHS:
        return []
    return [_month_text(i) for i in range(start, end + 1)]


def money(value: Any) -> str:
    """An exact decimal string from the API, grouped for reading; blank when absent."""
    if value is None:
        return ""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


def _count(row: dict[str, Any]) -> Decimal:
    try:
        return Decimal(str(row.get("count", 0)))
    except InvalidOperation:
        return Decimal(0)


@dataclass
class Figures:
    answer: Answer
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, answer: Answer) -> Figures:
        if not answer.ok or not isinstance(answer.body, dict):
            return cls(answer)
        return cls(answer, list(answer.body.get("rows", [])), dict(answer.body.get("total", {})))


@dataclass
class StatisticsView:
    measures: list[dict[str, Any]]
    measure: dict[str, Any] | None
    query: Query
    monthly: Figures
    provinces: Figures
    monthly_chart: Markup
    province_chart: Markup
    problems: list[str]


def province_label(row: dict[str, Any]) -> str:
    return str(row.get("province_name") or row.get("province") or UNKNOWN)


async def measures(apis: PublicApis) -> Answer:
    return await apis.get("statistics", "/v1/statistics/measures")


def measure_list(answer: Answer) -> list[dict[str, Any]]:
    return list(answer.body.get("measures", [])) if answer.ok else []


async def statistics_view(apis: PublicApis, query: Query | None, today: date) -> StatisticsView:
    listed = await measures(apis)
    known = measure_list(listed)
    if query is None:
        query = Query(measure=known[0]["key"] if known else "pledges")
    query = with_default_months(query, today)
    monthly_answer, province_answer = await apis.gather(
        apis.get("statistics", FIGURES, query.params("month")),
        apis.get("statistics", FIGURES, query.params("province")),
    )
    monthly, provinces = Figures.of(monthly_answer), Figures.of(province_answer)
    measure = next((m for m in known if m.get("key") == query.measure), None)
    name = str(measure["label"]) if measure else query.measure
    counted = {str(r.get("month")): _count(r) for r in monthly.rows}
    months = months_between(query.month_from, query.month_to) or sorted(counted)
    month_bars = [Bar(m, m, counted.get(m, Decimal(0))) for m in months]
    province_bars = [
        Bar(str(r.get("province")), province_label(r), _count(r)) for r in provinces.rows
    ]
    problems = [a.problem for a in (listed, monthly_answer) if a.problem]
    if province_answer.problem and province_answer.problem != monthly_answer.problem:
        problems.append(province_answer.problem)
    return StatisticsView(
        measures=known,
        measure=measure,
        query=query,
        monthly=monthly,
        provinces=provinces,
        monthly_chart=monthly_bars(f"{name}：按月件数", month_bars),
        province_chart=ranked_bars(f"{name}：按省份排名", province_bars),
        problems=problems,
    )


async def summary(apis: PublicApis, year: int) -> Answer:
    """The year's total of each measure the user may read, and the technology contracts'
    value against the national target."""
    return await apis.get("statistics", "/v1/statistics/summary", {"year": str(year)})


COVERAGE = "/v1/statistics/inventory-coverage"


@dataclass
class InventoryView:
    overall: Answer
    by_province: Answer
    by_party_type: Answer
    matching: list[tuple[dict[str, Any], Figures]]
    problems: list[str]


async def inventory_view(apis: PublicApis, year: int) -> InventoryView:
    overall, by_province, by_party_type, listed = await apis.gather(
        apis.get("statistics", COVERAGE),
        apis.get("statistics", COVERAGE, {"group_by": "province"}),
        apis.get("statistics", COVERAGE, {"group_by": "party_type"}),
        measures(apis),
    )
    outcomes = [
        m for m in measure_list(listed) if any(word in str(m.get("key")) for word in MATCHING_WORDS)
    ]
    answers = await apis.gather(
        *(
            apis.get(
                "statistics",
                FIGURES,
                {
                    "measure": m["key"],
                    "group_by": "detail",
                    "from": f"{year}-01",
                    "to": f"{year}-12",
                },
            )
            for m in outcomes
        )
    )
    problems = list(dict.fromkeys(a.problem for a in (overall, listed) if a.problem))
    return InventoryView(
        overall=overall,
        by_province=by_province,
        by_party_type=by_party_type,
        matching=[(m, Figures.of(a)) for m, a in zip(outcomes, answers, strict=True)],
        problems=problems,
    )
