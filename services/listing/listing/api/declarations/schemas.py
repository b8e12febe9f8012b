"""Request and response bodies of open-licence declarations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from listing import mapping
from listing.api.schemas import _Input
from listing.declarations.commands import CreateDeclaration
from listing.domain.declaration import DeclarationStatus, FeeReduction, OpenLicenseDeclaration
from listing.domain.terms import (
    MAX_DUE_DAYS,
    MIN_DUE_DAYS,
    LicenseTerms,
    RoyaltyBase,
    RoyaltySchedule,
)
from shared.events.schemas import PaymentMode, ReportingPeriod
from shared.http.types import ApplicationNumberStr, MoneyAmount, RatePercent, UsccStr, VisibleStr

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

    def to_terms(self) -> LicenseTerms:
        schedule = self.royalty_schedule
        return LicenseTerms(
            payment_mode=self.payment_mode,
            term_start=self.term_start,
            term_end=self.term_end,
            lump_sum_fee=self.lump_sum_fee,
            entry_fee=self.entry_fee,
            royalty_base=self.royalty_base,
            royalty_rate=self.royalty_rate,
            payment_schedule=self.payment_schedule,
            royalty_schedule=None
            if schedule is None
            else RoyaltySchedule(
                schedule.period, schedule.due_days_after_period, schedule.annual_due
            ),
            territory=self.territory,
        )


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

    def to_command(self) -> CreateDeclaration:
        return CreateDeclaration(
            application_number=self.application_number,
            terms=self.terms.to_terms(),
            description=self.description,
            contact=self.contact,
            co_owner_consents=tuple(self.co_owner_consents),
            evidence=tuple(self.evidence),
        )


class FeeReductionOut(BaseModel):
    """The open-licence annual-fee reduction (开放许可年费减免, 15 %)."""

    state: FeeReduction = Field(
        description=(
            "`eligible`; `withheld` while a patentee is restricted by a credit record "
            "(信用监管) in the license service."
        )
    )
    record_id: str | None = Field(
        default=None, description="The credit record withholding it (`withheld` only)."
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
    annual_fee_reduction: FeeReductionOut

    @classmethod
    def of(cls, declaration: OpenLicenseDeclaration) -> DeclarationPublic:
        shown = {n: getattr(declaration, n) for n in cls.model_fields if hasattr(declaration, n)}
        # The terms as stored: money with two decimals, rates as written.
        shown["terms"] = mapping.terms_document(declaration.terms)
        shown["evidence"] = list(declaration.evidence_ids)
        shown["annual_fee_reduction"] = FeeReductionOut(
            state=declaration.annual_fee_reduction,
            record_id=declaration.fee_reduction_withheld_by,
        )
        return cls.model_validate(shown)


class WithdrawalIn(_Input):
    reason: str | None = Field(
        default=None, max_length=500, examples=["该专利已与某企业达成独占许可意向"]
    )
