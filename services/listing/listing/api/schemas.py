"""Request and response bodies of the listing API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

# POST /v1/patents takes what a bulk-import row is: one input model, kept with the import
# (which must not depend on the API).
from listing.bulk.schemas import PatentCreate as PatentCreate
from listing.bulk.schemas import PatenteeIn as PatenteeIn
from listing.domain.declaration import (
    MAX_DUE_DAYS,
    MIN_DUE_DAYS,
    DeclarationStatus,
    RoyaltyBase,
)
from listing.domain.patent import AnnualFeeStatus, LegalStatus, PartyType
from shared.domain import PatentType
from shared.events.schemas import PaymentMode, ReportingPeriod
from shared.http.types import (
    ApplicationNumberStr,
    MoneyAmount,
    RatePercent,
    UsccStr,
    VisibleStr,
)


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PatenteeOut(BaseModel):
    name: str
    uscc: str | None
    share: Decimal
    party_type: PartyType


class PatentPublic(BaseModel):
    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str = Field(examples=["ZL201710601862.3"])
    patent_type: PatentType
    title: str
    abstract: str | None
    ipc_codes: list[str]
    industry_codes: list[str]
    region_code: str | None
    filing_date: date
    grant_date: date | None
    expiry_date: date
    patentees: list[PatenteeOut]
    legal_status: LegalStatus
    annual_fee_status: AnnualFeeStatus
    suspended: bool
    under_preservation: bool
    state_funded: bool
    evaluation_report_favourable: bool | None


class EncumbrancePublic(BaseModel):
    """A pledge or exclusive/sole licence in force, as listing learned it from events."""

    kind: str = Field(examples=["pledge"])
    reference_id: str
    holder: str = Field(examples=["中国工商银行深圳分行"])
    open_license_consented: bool
    effective_from: date


class EncumbranceList(BaseModel):
    items: list[EncumbrancePublic]


class PatentStatusUpdate(_Input):
    """Facts from the official register, set by the operator (one writer)."""

    legal_status: LegalStatus | None = None
    annual_fee_status: AnnualFeeStatus | None = None
    suspended: StrictBool | None = None
    under_preservation: StrictBool | None = None
    reason: str | None = Field(default=None, max_length=500, examples=["年费滞纳期满未缴"])


_PERIOD_DESCRIPTION = (
    "Calendar reporting period: annual 每年 (1 January – 31 December), semiannual 每半年 "
    "(1 January – 30 June, 1 July – 31 December), quarterly 每季度, monthly 每月. A "
    "licence's first period starts on the day it takes effect, its last ends with its term."
)


class RoyaltyScheduleIn(_Input):
    """提成费的报告期和付款截止日（结构化）：被许可人和专利权人据此看到完全相同的报告期和截止日。

    When a running royalty is reported and paid. Give exactly one due rule:
    `due_days_after_period`, or for annual periods `annual_due`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"period": "annual", "annual_due": "03-31"},
                {"period": "quarterly", "due_days_after_period": 30},
            ]
        },
    )

    period: ReportingPeriod = Field(description=_PERIOD_DESCRIPTION)
    due_days_after_period: StrictInt | None = Field(
        default=None,
        ge=MIN_DUE_DAYS,
        le=MAX_DUE_DAYS,
        description="Report and payment of a period are due this many days after its last "
        "day (30: the quarter ending 31 March is due by 30 April, 季度结束后30日内).",
        examples=[30],
    )
    annual_due: str | None = Field(
        default=None,
        pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        description="Annual periods only, instead of `due_days_after_period`: the day (MM-DD) "
        "of the following year by which the year's report and payment are due (03-31: "
        "每年3月31日前支付上一年度提成费). 02-29 is refused: it is not a day of every year.",
        examples=["03-31"],
    )


class RoyaltyScheduleOut(BaseModel):
    period: ReportingPeriod = Field(description=_PERIOD_DESCRIPTION)
    due_days_after_period: int | None = None
    annual_due: str | None = Field(default=None, examples=["03-31"])


class TermsIn(_Input):
    payment_mode: PaymentMode
    lump_sum_fee: MoneyAmount | None = None
    entry_fee: MoneyAmount | None = None
    royalty_base: RoyaltyBase | None = None
    royalty_rate: RatePercent | None = None
    payment_schedule: str | None = Field(
        default=None,
        max_length=500,
        description="How payment works, in the patentee's words (shown to licensees; no "
        "promotional wording). Periods and due dates come from `royalty_schedule`.",
        examples=["每年3月31日前按上一年度净销售额支付"],
    )
    royalty_schedule: RoyaltyScheduleIn | None = Field(
        default=None,
        description="Running royalty (running_royalty, entry_fee_plus_royalty) only: the "
        "reporting periods and due dates every licensee gets. Refused for lump_sum and free.",
    )
    term_start: date
    term_end: date
    territory: VisibleStr = Field(default="中国大陆", max_length=100)


class TermsOut(BaseModel):
    payment_mode: PaymentMode
    lump_sum_fee: Decimal | None
    entry_fee: Decimal | None
    royalty_base: RoyaltyBase | None
    royalty_rate: Decimal | None
    payment_schedule: str | None
    # Absent from terms versions stored before schedules were declared.
    royalty_schedule: RoyaltyScheduleOut | None = None
    term_start: date
    term_end: date
    territory: str
    currency: str = "CNY"


class DeclarationCreate(_Input):
    """A draft open-licence declaration; submit it to have it checked and announced."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "application_number": "201710601862.3",
                    "terms": {
                        "payment_mode": "running_royalty",
                        "royalty_base": "net_sales",
                        "royalty_rate": "3.5",
                        "payment_schedule": "每年3月31日前按上一年度净销售额支付",
                        "royalty_schedule": {"period": "annual", "annual_due": "03-31"},
                        "term_start": "2026-01-01",
                        "term_end": "2030-12-31",
                        "territory": "中国大陆",
                    },
                    "description": "可用于储能电站电池簇在线监测，许可后提供技术资料一套。",
                    "contact": "技术转移中心 张老师 010-62780000",
                },
                {
                    "application_number": "201710601862.3",
                    "terms": {
                        "payment_mode": "entry_fee_plus_royalty",
                        "entry_fee": "100000.00",
                        "royalty_base": "net_sales",
                        "royalty_rate": "2",
                        "payment_schedule": "入门费于许可生效时支付；提成费每季度结束后30日内"
                        "按该季度净销售额报告并支付",
                        "royalty_schedule": {"period": "quarterly", "due_days_after_period": 30},
                        "term_start": "2026-01-01",
                        "term_end": "2030-12-31",
                        "territory": "中国大陆",
                    },
                    "description": "适用于新能源汽车动力电池管理系统。",
                    "contact": "技术转移中心 张老师 010-62780000",
                },
            ]
        },
    )

    application_number: ApplicationNumberStr
    terms: TermsIn
    description: str | None = Field(default=None, max_length=2000)
    contact: str | None = Field(default=None, max_length=200)
    co_owner_consents: list[UsccStr] = Field(
        default_factory=list,
        description="USCCs of co-owners who consented; each one's consent letter must be "
        "among the `evidence`.",
    )
    evidence: list[Annotated[str, Field(max_length=36)]] = Field(
        default_factory=list,
        max_length=20,
        description="Ids of uploaded documents the declaration relies on (POST /v1/documents): "
        "co-owners' consent letters; for a utility model or design, a favourable patent "
        "evaluation report.",
    )


class DeclarationPublic(BaseModel):
    id: str
    application_number: str
    status: DeclarationStatus
    declarant_org_id: str
    terms_version: int
    terms: TermsOut
    description: str | None
    contact: str | None
    created_at: datetime
    announced_at: datetime | None
    evidence: list[str] = Field(default_factory=list)
    withdrawal_requested_at: datetime | None = None
    withdrawn_at: datetime | None
    ended_at: datetime | None = Field(default=None, description="When it lapsed or expired.")
    status_reason: str | None = Field(
        default=None,
        description="Why it is withdrawn, lapsed, expired or suspended.",
        examples=["pledge 7c1e... to 中国工商银行深圳分行 was registered before the announcement"],
    )


class WithdrawalIn(_Input):
    reason: str | None = Field(
        default=None, max_length=500, examples=["该专利已与某企业达成独占许可意向"]
    )


class TimelineEntry(BaseModel):
    event_id: str
    event_type: str = Field(examples=["cn.ipmarket.listing.declaration.published.v1"])
    label: str = Field(examples=["开放许可声明公告"])
    source: str = Field(examples=["/ipmarket/listing"])
    occurred_at: datetime
    actor: str | None
    data: dict[str, Any] | None = Field(
        description="The event's data; pledge details only for patentees, banks and the operator."
    )


class TransferIn(_Input):
    """A transfer of the patent right as registered by the office (著录项目变更)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "patentees": [
                        {
                            "name": "深圳市新能储能科技有限公司",
                            "uscc": "91440300MA5F00001A",
                            "share": "100",
                            "party_type": "enterprise",
                        }
                    ],
                    "transfer_reference": "2026110800012345",
                    "effective_date": "2026-11-08",
                }
            ]
        },
    )

    patentees: list[PatenteeIn] = Field(min_length=1, max_length=20)
    transfer_reference: str = Field(
        min_length=1, max_length=64, description="The office's registration of the change."
    )
    effective_date: date
    evidence: list[Annotated[str, Field(max_length=36)]] = Field(
        default_factory=list, max_length=5, description="E.g. the transfer contract (documents)."
    )

    @model_validator(mode="after")
    def _shares(self) -> Self:
        total = sum((p.share for p in self.patentees), Decimal(0))
        if total != Decimal(100):
            raise ValueError(f"patentee shares must add up to 100, not {total}")
        return self
