"""Request and response bodies of the license API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from license.domain.declaration import DeclarationStatus
from license.domain.license import FilingAlert, LicenseStatus
from license.domain.royalty import RoyaltyBase, ScheduleSource
from shared.events.schemas import LicenseKind, PaymentMode, ReportingPeriod
from shared.http.types import (
    ApplicationNumberStr,
    MoneyAmount,
    MoneyModel,
    RatePercent,
    UsccStr,
    VisibleStr,
)

VoucherReference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    Field(
        description="Reference of the bank transfer voucher (转账凭证号).",
        examples=["ICBC-20261123-0001"],
    ),
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LicenseCreate(_Input):
    """Notice that the caller takes an open licence on an announced declaration."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "declaration_id": "3f0d7c52-8a4e-4f5b-9a51-0c2b6d1e7a90",
                    "field_of_use": "储能电站电池管理系统",
                    "contact": "深圳市新能储能科技有限公司 法务部 王经理 0755-86000000",
                }
            ]
        },
    )

    declaration_id: str = Field(
        min_length=1, max_length=64, description="Id of the announced declaration (from listing)."
    )
    field_of_use: str | None = Field(
        default=None,
        max_length=200,
        description="Where the licensee means to use the patent (informative).",
    )
    contact: str | None = Field(default=None, max_length=200, description="Licensee's contact.")


class PaymentCreate(_Input):
    """A payment the licensee made under the licence's terms."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "amount": {"amount": "50000.00", "currency": "CNY"},
                    "voucher_reference": "ICBC-20261123-0001",
                    "paid_on": "2026-11-23",
                },
                {
                    "amount": {"amount": "35000.00", "currency": "CNY"},
                    "voucher_reference": "CMB-20270328-0417",
                    "paid_on": "2027-03-28",
                    "royalty_period_id": "6b1f3c9e-2d4a-4e8b-9f10-7a5c3e2d1b00",
                },
            ]
        },
    )

    amount: MoneyModel
    voucher_reference: VoucherReference
    paid_on: date = Field(description="Date of the transfer (Asia/Shanghai); not in the future.")
    royalty_period_id: str | None = Field(
        default=None,
        max_length=36,
        description="The reported royalty period this payment settles (提成费); omit for the "
        "fee that activates the licence.",
    )


class LicenseeIn(_Input):
    """The licensee of a negotiated licence, as the contract names it."""

    name: VisibleStr = Field(max_length=255, examples=["比亚迪股份有限公司"])
    uscc: UsccStr
    org_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Its platform organisation id, if it has one; leave it out (or null) for "
        "a licensee known only by its name and USCC.",
        examples=["enterprise-byd"],
    )
    org_type: Literal["enterprise", "university", "research_institute", "individual"] = "enterprise"


class NegotiatedTermsIn(_Input):
    """The contract's terms (the shape of an open licence's announced terms, without a
    declared `royalty_schedule`: a negotiated running royalty's periods are read from
    `payment_schedule` and labelled inferred)."""

    payment_mode: PaymentMode
    lump_sum_fee: MoneyAmount | None = None
    entry_fee: MoneyAmount | None = None
    royalty_base: RoyaltyBase | None = None
    royalty_rate: RatePercent | None = None
    payment_schedule: str | None = Field(
        default=None, max_length=200, examples=["每年3月31日前按上一年度净销售额支付"]
    )
    term_start: date
    term_end: date
    territory: str = Field(default="中国大陆", max_length=100)


class NegotiatedLicenseCreate(_Input):
    """A licence contract the patentee signed on a patent it declared for open licensing."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "application_number": "CN201710601862.3",
                    "kind": "ordinary",
                    "licensee": {"name": "比亚迪股份有限公司", "uscc": "91440300192317458F"},
                    "terms": {
                        "payment_mode": "entry_fee_plus_royalty",
                        "entry_fee": "100000.00",
                        "royalty_base": "net_sales",
                        "royalty_rate": "2.5",
                        "payment_schedule": "每年3月31日前按上一年度净销售额支付",
                        "term_start": "2026-12-01",
                        "term_end": "2031-11-30",
                        "territory": "中国大陆",
                    },
                    "field_of_use": "新能源汽车动力电池管理系统",
                    "effective_date": "2026-12-01",
                }
            ]
        },
    )

    application_number: ApplicationNumberStr
    kind: LicenseKind = Field(description="ordinary 普通许可 | sole 排他许可 | exclusive 独占许可")
    licensee: LicenseeIn
    terms: NegotiatedTermsIn
    field_of_use: str | None = Field(default=None, max_length=200)
    effective_date: date = Field(description="The day the contract takes effect.")


class FilingCreate(_Input):
    """The filing (备案) CNIPA granted, as its notice (备案通知书) states it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"filing_number": "2026990000123", "filed_on": "2026-12-15"}]
        },
    )

    filing_number: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[0-9A-Za-z\-]+$",
        description="备案号 from CNIPA's filing notice.",
    )
    filed_on: date = Field(description="Date of the filing notice; between effect and today.")


class RoyaltyReportCreate(_Input):
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


class RoyaltyScheduleOut(BaseModel):
    """The reporting schedule the patentee declared for a running royalty."""

    period: ReportingPeriod = Field(
        description="annual 每年 | semiannual 每半年 | quarterly 每季度 | monthly 每月; calendar "
        "periods, the first starting when the licence takes effect."
    )
    due_days_after_period: int | None = Field(
        default=None, description="Each period is due this many days after its last day."
    )
    annual_due: str | None = Field(
        default=None,
        description="Annual periods: due on this day (MM-DD) of the following year.",
        examples=["03-31"],
    )


class TermsOut(BaseModel):
    """The terms version the licensee accepted (or the declaration's current one)."""

    payment_mode: PaymentMode
    lump_sum_fee: Decimal | None
    entry_fee: Decimal | None
    royalty_base: str | None
    royalty_rate: Decimal | None
    payment_schedule: str | None
    royalty_schedule: RoyaltyScheduleOut | None = Field(
        default=None,
        description="The declared royalty schedule; absent from terms announced before "
        "schedules were declared (their periods are inferred from `payment_schedule`).",
    )
    term_start: date
    term_end: date
    territory: str
    currency: str = "CNY"


class PatenteeOut(BaseModel):
    name: str = Field(examples=["清华大学"])
    uscc: str | None = Field(examples=["12100000400000624D"])
    share: Decimal
    party_type: str


class LicenseeOut(BaseModel):
    org_id: str | None = Field(
        description="Its platform organisation id; null for a licensee of a negotiated "
        "licence known only by its name and USCC (it sees the licence by its USCC)."
    )
    name: str = Field(examples=["深圳市新能储能科技有限公司"])
    uscc: str | None = Field(examples=["91440300192317458F"])


class LicensePublic(BaseModel):
    id: str
    declaration_id: str | None
    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str = Field(examples=["ZL201710601862.3"])
    kind: LicenseKind
    status: LicenseStatus
    terms_version: int | None = Field(description="The terms version accepted; it never changes.")
    terms: TermsOut
    licensors: list[PatenteeOut]
    licensee: LicenseeOut
    field_of_use: str | None
    contact: str | None
    effective_date: date | None = Field(description="Set when the licence takes effect.")
    term_end: date | None
    filing_deadline: date | None = Field(
        description="Last day to file (备案) the licence: 3 months after it took effect."
    )
    contract_value: MoneyModel | None = Field(
        description="Fixed value of the contract (lump sum or entry fee), if the terms have one."
    )
    filing_number: str | None = Field(description="备案号, once the licence is filed.")
    filed_on: date | None
    filing_alert: FilingAlert = Field(
        description="How close an active (unfiled) licence is to `filing_deadline`, as of "
        "today in Asia/Shanghai: `due` from the reminder day (15 days before the deadline), "
        "`overdue` from the day after it; `none` before, and for a licence awaiting payment "
        "or filed. The deadline watch publishes the reminder and the alarm for these levels."
    )
    created_at: datetime
    activated_at: datetime | None


class PaymentPublic(BaseModel):
    id: str
    amount: MoneyModel
    voucher_reference: str
    paid_on: date
    activated_license: bool = Field(description="This payment made the licence take effect.")
    recorded_by_role: str = Field(description="licensee (reported) | licensor (confirmed)")
    royalty_period_id: str | None
    recorded_at: datetime


class LicenseDetail(LicensePublic):
    """A licence with the payments recorded on it, oldest first."""

    payments: list[PaymentPublic]
    amount_paid: MoneyModel


class PledgePublic(BaseModel):
    """A registered pledge on the patent, as the license service learned it."""

    pledge_id: str
    pledgee_name: str | None = Field(examples=["中国工商银行深圳分行"])
    pledgee_org_id: str | None
    open_license_consented: bool
    registered_on: date | None


class DeclarationViewPublic(BaseModel):
    """An open-licence declaration as the license service knows it (the terms a licensee
    accepting now would get)."""

    declaration_id: str
    application_number: str
    status: DeclarationStatus
    patent_number: str | None
    patent_type: str | None
    title: str | None
    patentees: list[PatenteeOut]
    terms_version: int | None
    terms: TermsOut | None
    announced_at: datetime | None
    withdrawn_at: datetime | None
    pledges: list[PledgePublic] = Field(description="Pledges registered on the patent.")


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


class BreachPublic(BaseModel):
    """A missed obligation recorded against a party (credit supervision)."""

    id: str
    license_id: str
    application_number: str
    kind: str = Field(examples=["royalty_report_overdue"])
    party_org_id: str | None
    party_name: str = Field(examples=["深圳市新能储能科技有限公司"])
    party_uscc: str | None
    period_id: str | None
    due_date: date
    amount_outstanding: MoneyModel | None
    recorded_at: datetime
