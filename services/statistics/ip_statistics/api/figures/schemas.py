"""What the figure endpoints answer. Money is a string with two decimals (exact)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from ip_statistics.domain.measures import Measure
from ip_statistics.domain.provinces import PROVINCE_NAMES
from ip_statistics.domain.query import FigureQuery, month_text
from ip_statistics.figures.repository import CoverageRow, FigureRow
from ip_statistics.figures.service import Figures, Summary

# Headers of the exports: the Chinese label, then the JSON key.
COLUMN_LABELS = {
    "month": "月份",
    "province": "省级行政区代码",
    "province_name": "省级行政区",
    "city": "地级行政区代码",
    "industry_section": "国民经济行业门类",
    "industry_division": "国民经济行业大类",
    "party_type": "专利权人类型",
    "detail": "细分",
    "count": "数量",
    "amount": "金额（元）",
    "tech_amount": "技术交易额（元）",
}


class MeasureOut(BaseModel):
    key: str = Field(examples=["pledges"])
    label: str = Field(examples=["专利质押"])
    label_en: str = Field(examples=["Pledges"])
    amount_label: str | None = Field(examples=["担保债权数额"])
    tech_amount_label: str | None = Field(examples=[None])
    details: list[str] = Field(description="The values of the measure's `detail` dimension.")

    @classmethod
    def of(cls, m: Measure) -> MeasureOut:
        return cls(
            key=m.key,
            label=m.label,
            label_en=m.label_en,
            amount_label=m.amount_label,
            tech_amount_label=m.tech_amount_label,
            details=list(m.details),
        )


class MeasuresOut(BaseModel):
    measures: list[MeasureOut]


class TotalOut(BaseModel):
    count: int
    amount: str | None = Field(description="CNY; null for a measure without amounts.")
    tech_amount: str | None = Field(description="CNY; null for a measure without them.")


class FiguresOut(BaseModel):
    measure: str
    label: str
    group_by: list[str]
    from_: str = Field(alias="from", examples=["2026-01"])
    to: str = Field(examples=["2026-12"])
    rows: list[dict[str, Any]] = Field(
        description="One per group: each dimension asked for (`month` as YYYY-MM; "
        "`province` with its `province_name`; null where the patent's attribute is "
        "unknown), then `count`, `amount`, `tech_amount`.",
        examples=[
            [
                {
                    "month": "2026-03",
                    "province": "440000",
                    "province_name": "广东省",
                    "count": 3,
                    "amount": "1500000.00",
                    "tech_amount": None,
                }
            ]
        ],
    )
    total: TotalOut


def money(value: Decimal | None, present: bool) -> str | None:
    if not present:
        return None
    return f"{(value or Decimal(0)):.2f}"


def columns(query: FigureQuery) -> list[str]:
    out: list[str] = []
    for dim in query.group_by:
        out.append(dim)
        if dim == "province":
            out.append("province_name")
    return [*out, "count", "amount", "tech_amount"]


def row_out(query: FigureQuery, row: FigureRow) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for dim, value in zip(query.group_by, row.keys, strict=True):
        if dim == "month":
            out[dim] = month_text(value)
        else:
            out[dim] = value
            if dim == "province":
                out["province_name"] = PROVINCE_NAMES.get(value) if value else None
    measure = query.measure
    out["count"] = row.count
    out["amount"] = money(row.amount, measure.amount_label is not None)
    out["tech_amount"] = money(row.tech_amount, measure.tech_amount_label is not None)
    return out


def figures_out(found: Figures) -> FiguresOut:
    q = found.query
    measure = q.measure
    total = TotalOut(
        count=found.total.count,
        amount=money(found.total.amount, measure.amount_label is not None),
        tech_amount=money(found.total.tech_amount, measure.tech_amount_label is not None),
    )
    return FiguresOut.model_validate(
        {
            "measure": q.measure.key,
            "label": q.measure.label,
            "group_by": list(q.group_by),
            "from": month_text(q.first_month),
            "to": month_text(q.last_month),
            "rows": [row_out(q, r) for r in found.rows],
            "total": total,
        }
    )


class CoverageRowOut(BaseModel):
    key: str | None = Field(description="The group's value (null: unknown, or no grouping).")
    name: str | None = Field(default=None, description="The province's name, by province.")
    patents: int = Field(description="Patents of universities and institutes known.")
    inventoried: int
    tiers: dict[str, int] = Field(examples=[{"A": 1, "B": 0, "C": 2, "D": 0}])
    share_inventoried: str | None = Field(
        description="inventoried / patents, four decimals; null when there are no patents.",
        examples=["0.6667"],
    )


class CoverageOut(BaseModel):
    group_by: str | None
    rows: list[CoverageRowOut]


def coverage_out(dimension: str | None, rows: list[CoverageRow]) -> CoverageOut:
    return CoverageOut(
        group_by=dimension,
        rows=[
            CoverageRowOut(
                key=r.key,
                name=PROVINCE_NAMES.get(r.key or "") if dimension == "province" else None,
                patents=r.patents,
                inventoried=r.inventoried,
                tiers=r.tiers,
                share_inventoried=(
                    f"{(Decimal(r.inventoried) / Decimal(r.patents)):.4f}" if r.patents else None
                ),
            )
            for r in rows
        ],
    )


class MeasureTotalOut(BaseModel):
    measure: str
    label: str
    count: int
    amount: str | None
    tech_amount: str | None


class TargetOut(BaseModel):
    tech_contract_value: str = Field(
        description="This year's registered technology contracts' value (合同成交额), CNY."
    )
    target: str = Field(description="The national target, CNY (8000 亿元 by 2025).")
    share: str = Field(description="value / target, four decimals.")


class SummaryOut(BaseModel):
    year: int
    measures: list[MeasureTotalOut]
    tech_contract_target: TargetOut


def summary_out(found: Summary, labels: dict[str, Measure]) -> SummaryOut:
    return SummaryOut(
        year=found.year,
        measures=[
            MeasureTotalOut(
                measure=t.measure,
                label=labels[t.measure].label,
                count=t.count,
                amount=money(t.amount, labels[t.measure].amount_label is not None),
                tech_amount=money(t.tech_amount, labels[t.measure].tech_amount_label is not None),
            )
            for t in found.totals
        ],
        tech_contract_target=TargetOut(
            tech_contract_value=f"{found.tech_contract_value:.2f}",
            target=f"{found.target:.2f}",
            share=f"{found.tech_contract_value / found.target:.4f}",
        ),
    )
