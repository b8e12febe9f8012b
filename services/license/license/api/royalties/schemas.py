"""Request and response bodies of the running-royalty endpoints."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from license.api.schemas import InputModel
from license.domain.royalty import ScheduleSource
from shared.http.types import MoneyModel


class RoyaltyReportCreate(InputModel):
    """The licensee's statement of its royalty base for one period (提成费报告)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"base_amount": {"amount": "1000000.00", "currency": "CNY"}}]
        },
    )

    base_amount: MoneyModel = Field(
        description="Net sales (净销售额) or profit (利润) of the period, as the terms say."
    )


class RoyaltyPeriodPublic(BaseModel):
    """One reporting period of a running royalty: what was reported, due and paid."""

    id: str
    period_start: date
    period_end: date
    due_date: date = Field(description="Report and payment are due by this day.")
    schedule_source: ScheduleSource = Field(
        description="declared: the period and due date follow the `royalty_schedule` of the "
        "terms the licence accepted. inferred: those terms declared none (announced before "
        "schedules were declared), so they were read from their `payment_schedule` text: "
        "quarterly if it mentions 季, monthly for 每月 / 按月 / 月度, otherwise yearly; due on "
        'the "M月D日" it names in the following year, or else 30 days after the period.'
    )
    royalty_base: str = Field(description="net_sales | profit")
    royalty_rate: str = Field(description="Percent of the base.", examples=["3.5"])
    base_amount: MoneyModel | None
    amount_due: MoneyModel | None = Field(
        description="base × rate / 100, rounded half-up to the fen; set once reported."
    )
    amount_paid: MoneyModel
    reported_at: datetime | None
    report_overdue: bool = Field(description="A late-report breach is recorded.")
    payment_overdue: bool = Field(description="A late-payment breach is recorded.")
    cancelled_on: date | None = Field(
        default=None,
        description="Set (to the licence's `ended_on`) when the period starts after the "
        "licence ended: it is never reported or paid. Periods of the term stay due.",
    )
