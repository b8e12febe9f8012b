"""Request and response bodies of the licence endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from license.api.examples import NEGOTIATED_LICENSE, RESCISSION, TERMINATION
from license.api.schemas import InputModel, LicensePublic
from license.domain.royalty import RoyaltyBase
from shared.events.schemas import LicenseKind, PaymentMode
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


class LicenseCreate(InputModel):
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


class PaymentCreate(InputModel):
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


class LicenseeIn(InputModel):
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


class NegotiatedTermsIn(InputModel):
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


class NegotiatedLicenseCreate(InputModel):
    """A licence contract the patentee signed on a patent it declared for open licensing."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [NEGOTIATED_LICENSE["ordinary"]["value"]]},
    )

    application_number: ApplicationNumberStr
    kind: LicenseKind = Field(description="ordinary 普通许可 | sole 排他许可 | exclusive 独占许可")
    licensee: LicenseeIn
    terms: NegotiatedTermsIn
    field_of_use: str | None = Field(default=None, max_length=200)
    effective_date: date = Field(description="The day the contract takes effect.")


class PaymentPublic(BaseModel):
    id: str
    amount: MoneyModel
    voucher_reference: str
    paid_on: date
    activated_license: bool = Field(description="This payment made the licence take effect.")
    recorded_by_role: str = Field(description="licensee (reported) | licensor (confirmed)")
    royalty_period_id: str | None
    recorded_at: datetime


class TerminationConsentPublic(BaseModel):
    """One side's consent to terminate the licence, while the other side's is awaited
    (and kept once the licence ended)."""

    role: Literal["licensor", "licensee"]
    org_id: str
    name: str
    ended_on: date
    reason_code: Literal["agreement", "licensee_gives_up"]
    note: str | None
    recorded_at: datetime


class LicenseDetail(LicensePublic):
    """A licence with the payments recorded on it, oldest first."""

    payments: list[PaymentPublic]
    amount_paid: MoneyModel
    termination_consents: list[TerminationConsentPublic] = Field(
        default_factory=list,
        description="Consents to a termination recorded so far: the licence ends when the "
        "licensee and a licensor have consented to the same `ended_on` and `reason_code`.",
    )


EndNote = Annotated[
    str | None,
    Field(
        default=None,
        max_length=1000,
        description="Free text for the parties and the operator; never published.",
    ),
]


EndedOn = Annotated[
    date,
    Field(
        description="The first day the licence is no longer in force: not before it took "
        "effect, not after today (Asia/Shanghai), not after term_end + 1 day.",
        examples=["2026-12-01"],
    ),
]


class TerminationCreate(InputModel):
    """One party's consent to end the licence (许可终止)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [TERMINATION["agreement"]["value"]]},
    )

    ended_on: EndedOn
    reason_code: Literal["agreement", "licensee_gives_up"] = Field(
        description="agreement 协商一致解除: both parties consent (the licence ends with the "
        "second consent); licensee_gives_up 被许可人放弃开放许可: the licensee of an open "
        "licence ends it alone."
    )
    note: EndNote


class RescissionGroundIn(InputModel):
    """What the rescission rests on."""

    kind: Literal["breach", "judgment", "arbitral_award"] = Field(
        description="breach 违约 (a breach of this licence in the breach register), judgment "
        "法院判决, arbitral_award 仲裁裁决. The operator may cite a judgment only."
    )
    reference: VisibleStr = Field(
        max_length=100,
        description="The breach id, or the judgment's or award's case number (案号).",
        examples=["（2026）京73民初1234号"],
    )


class RescissionCreate(InputModel):
    """Rescission (解除) of the licence for breach."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [RESCISSION["breach"]["value"]]},
    )

    ended_on: EndedOn
    ground: RescissionGroundIn
    note: EndNote
