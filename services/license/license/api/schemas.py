"""Request and response bodies of the license API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from license.domain.declaration import DeclarationStatus
from license.domain.license import LicenseStatus
from shared.events.schemas import LicenseKind, PaymentMode
from shared.http.types import MoneyModel

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
                }
            ]
        },
    )

    amount: MoneyModel
    voucher_reference: VoucherReference
    paid_on: date = Field(description="Date of the transfer (Asia/Shanghai); not in the future.")


class TermsOut(BaseModel):
    """The terms version the licensee accepted (or the declaration's current one)."""

    payment_mode: PaymentMode
    lump_sum_fee: Decimal | None
    entry_fee: Decimal | None
    royalty_base: str | None
    royalty_rate: Decimal | None
    payment_schedule: str | None
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
    org_id: str
    name: str = Field(examples=["深圳市新能储能科技有限公司"])
    uscc: str | None = Field(examples=["91440300MA5FXXXX1X"])


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
    created_at: datetime
    activated_at: datetime | None


class PaymentPublic(BaseModel):
    id: str
    amount: MoneyModel
    voucher_reference: str
    paid_on: date
    activated_license: bool = Field(description="This payment made the licence take effect.")
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
