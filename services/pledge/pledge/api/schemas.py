"""Request and response bodies of the pledge API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pledge.domain.insurance import ClaimStatus, ProductKind
from pledge.domain.pledge import CancellationReason, PledgeStatus
from shared.events.schemas import ConsentSubject
from shared.http.types import (
    ApplicationNumberStr,
    MoneyModel,
    RatePercent,
    RegionCodeStr,
    UsccStr,
    VisibleStr,
)

OrgId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Platform organisation id (letters, digits, - and _).",
        examples=["bank-icbc-sz"],
    ),
]
Reason = Annotated[VisibleStr, Field(max_length=500)]


def _positive_money(money: MoneyModel) -> MoneyModel:
    if money.amount <= 0:
        raise PydanticCustomError(
            "money_not_positive",
            "amount must be greater than 0, got {value}",
            {"value": f"{money.amount:f}"},
        )
    return money


def _positive_rate(rate: Decimal) -> Decimal:
    if rate <= 0:
        raise PydanticCustomError(
            "rate_not_positive", "rate must be greater than 0, got {value}", {"value": f"{rate:f}"}
        )
    return rate


# Money that is only meaningful above zero: a secured amount, a loan, a repayment, a
# valuation, a price, a budget, coverage, a claim.
PositiveMoney = Annotated[MoneyModel, AfterValidator(_positive_money)]
PositiveRatePercent = Annotated[RatePercent, AfterValidator(_positive_rate)]
# A factor's contribution may be negative: a decimal string with two decimals.
MoneyAmountSigned = Annotated[Decimal, PlainSerializer(lambda v: f"{v:.2f}", return_type=str)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PledgeeIn(_Input):
    org_id: OrgId
    name: VisibleStr = Field(max_length=255, examples=["中国工商银行深圳分行"])
    uscc: UsccStr | None = None


class PledgeCreate(_Input):
    """A pledgor's application to register a pledge of its patents for a bank loan."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "application_numbers": ["202010345672.1"],
                    "pledgee": {
                        "org_id": "bank-icbc-sz",
                        "name": "中国工商银行深圳分行",
                        "uscc": "91440300892234001X",
                    },
                    "secured_amount": {"amount": "3000000.00", "currency": "CNY"},
                    "debt_term_end": "2029-06-30",
                    "has_forfeiture_clause": False,
                }
            ]
        },
    )

    application_numbers: list[ApplicationNumberStr] = Field(min_length=1, max_length=20)
    pledgee: PledgeeIn
    secured_amount: PositiveMoney
    debt_term_end: date
    has_forfeiture_clause: StrictBool
    co_owner_consents: list[UsccStr] = Field(
        default_factory=list, description="USCCs of co-owners whose written consent is on file."
    )
    submit: StrictBool = Field(
        default=True,
        description=(
            "false keeps the application as a draft that only the pledgor sees; no rule is "
            "checked until it is submitted (`POST /pledges/{id}/submission`)."
        ),
    )


class RegistrationIn(_Input):
    registration_number: str = Field(min_length=1, max_length=40, examples=["Y2026980000123"])
    registered_on: date


class CancellationIn(_Input):
    reason: CancellationReason
    cancelled_on: date


class ApprovalIn(_Input):
    approved_on: date


class RefusalIn(_Input):
    reason: Reason


class CorrectionRequestIn(_Input):
    reason: Reason = Field(examples=["请补充共有人书面同意书"])


class ResubmissionIn(_Input):
    """The corrected application; fields left out keep their value."""

    secured_amount: PositiveMoney | None = None
    debt_term_end: date | None = None
    co_owner_consents: list[UsccStr] | None = None


class ChangeIn(_Input):
    """质押登记变更: at least one of amount, term or a party's name or USCC."""

    secured_amount: PositiveMoney | None = None
    debt_term_end: date | None = None
    pledgor_name: VisibleStr | None = Field(default=None, max_length=255)
    pledgee_name: VisibleStr | None = Field(default=None, max_length=255)
    pledgee_uscc: UsccStr | None = None
    changed_on: date


class DisbursementIn(_Input):
    amount: PositiveMoney
    disbursed_on: date


class RepaymentIn(_Input):
    amount: PositiveMoney
    repaid_on: date


class OverdueIn(_Input):
    overdue_since: date


class DefaultIn(_Input):
    defaulted_on: date


class ConsentIn(_Input):
    consent_to: ConsentSubject
    counterparty_uscc: UsccStr | None = Field(
        default=None, description="Narrows the consent to one transferee or licensee."
    )
    document_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    recorded_on: date


class ConsentPublic(BaseModel):
    id: str
    consent_to: ConsentSubject
    counterparty_uscc: str | None
    document_sha256: str | None
    recorded_on: date


class BankOnboarded(BaseModel):
    bank_org_id: str
    topic: str = Field(
        description="The bank's own topic of pledge events; it exists on the broker.",
        examples=["ipmarket.pledge.bank.bank-icbc-sz.v1"],
    )


class BankPolicyIn(_Input):
    min_remaining_term_years: StrictInt = Field(
        ge=0, le=20, description="Patents with less term left are refused.", examples=[5]
    )
    loan_to_value_percent: RatePercent = Field(
        description="Share of the valuation the bank lends against (40-60 %).", examples=["50"]
    )

    @field_validator("loan_to_value_percent")
    @classmethod
    def _ltv_range(cls, value: Decimal) -> Decimal:
        if not Decimal(40) <= value <= Decimal(60):
            raise ValueError(f"loan-to-value must be between 40 and 60 percent, got {value}")
        return value


class BankPolicyPublic(BaseModel):
    bank_org_id: str
    min_remaining_term_years: int
    loan_to_value_percent: RatePercent
    updated_at: datetime


class LossSharingIn(_Input):
    fund: RatePercent
    bank: RatePercent
    insurer: RatePercent = Decimal(0)
    appraiser: RatePercent = Decimal(0)


class ProgrammeCreate(_Input):
    """A risk-compensation programme; the shares must add up to exactly 100."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "中山市知识产权质押融资风险补偿资金池",
                    "region_code": "442000",
                    "budget": {"amount": "20000000.00", "currency": "CNY"},
                    "shares": {"fund": "54", "bank": "26", "insurer": "16", "appraiser": "4"},
                }
            ]
        },
    )

    name: VisibleStr = Field(max_length=255)
    region_code: RegionCodeStr
    budget: PositiveMoney
    shares: LossSharingIn
    max_secured_amount: PositiveMoney | None = None
    bank_org_ids: list[OrgId] = Field(
        default_factory=list, description="Participating banks; empty means every bank."
    )


class ProgrammePublic(BaseModel):
    id: str
    name: str
    region_code: str
    budget: MoneyModel
    remaining_budget: MoneyModel
    shares: LossSharingIn
    max_secured_amount: MoneyModel | None
    bank_org_ids: list[str]


class ClaimIn(_Input):
    programme_id: str = Field(min_length=1, max_length=36)
    loss: PositiveMoney | None = Field(
        default=None, description="The loss to share; the outstanding principal if left out."
    )
    claimed_on: date


class ShareOut(BaseModel):
    party: str
    percent: RatePercent
    amount: MoneyModel


class ClaimPublic(BaseModel):
    id: str
    pledge_id: str
    programme_id: str
    loss: MoneyModel
    shares: list[ShareOut]
    fund_shortfall: MoneyModel
    claimed_on: date


class DisposalMethod(StrEnum):
    AUCTION = "auction"
    SALE = "sale"
    DISCOUNT = "discount"


class DisposalIn(_Input):
    method: DisposalMethod
    valuation: PositiveMoney | None = None
    started_on: date


class BuyerIn(_Input):
    name: VisibleStr = Field(max_length=255)
    uscc: UsccStr
    party_type: str = Field(
        default="enterprise", pattern=r"^(university|research_institute|enterprise|individual)$"
    )


class TransferIn(_Input):
    buyer: BuyerIn
    price: PositiveMoney
    transferred_on: date


class OrgOut(BaseModel):
    org_id: str
    name: str
    uscc: str | None


class PledgePublic(BaseModel):
    id: str
    status: PledgeStatus
    application_numbers: list[str]
    pledgor: OrgOut
    pledgee: OrgOut
    secured_amount: MoneyModel
    debt_term_end: date
    registration_number: str | None
    registered_on: date | None
    cancelled_on: date | None
    cancellation_reason: CancellationReason | None
    approved_on: date | None = None
    refusal_reason: str | None = None
    correction_reason: str | None = None
    disbursed: MoneyModel | None = None
    disbursed_on: date | None = None
    outstanding: MoneyModel | None = None
    overdue_since: date | None = None
    defaulted_on: date | None = None
    disposal_method: str | None = None
    realised_on: date | None = None
    realisation_proceeds: MoneyModel | None = None
    created_at: datetime


def money_or_none(amount: Decimal | None, currency: str) -> MoneyModel | None:
    return None if amount is None else money(amount, currency)


def money(amount: Decimal, currency: str) -> MoneyModel:
    return MoneyModel.model_validate({"amount": str(amount), "currency": currency})


ClaimsCounts = Annotated[
    dict[ApplicationNumberStr, Annotated[StrictInt, Field(ge=1, le=1000)]],
    Field(description="Claims per patent, where known (application number -> count)."),
]


class ValuationRequest(_Input):
    application_numbers: list[ApplicationNumberStr] = Field(min_length=1, max_length=50)
    claims_counts: ClaimsCounts = Field(default_factory=dict)
    bank_org_id: OrgId | None = Field(
        default=None, description="Apply this bank's loan-to-value to propose a maximum loan."
    )


class PledgeValuationIn(_Input):
    claims_counts: ClaimsCounts = Field(default_factory=dict)


class FactorOut(BaseModel):
    factor: str
    multiplier: str | None = Field(description="The factor's multiplier; none for additions.")
    contribution: MoneyAmountSigned
    basis: str


class PatentValuationOut(BaseModel):
    application_number: str
    base: MoneyAmountSigned
    low: MoneyAmountSigned
    point: MoneyAmountSigned
    high: MoneyAmountSigned
    factors: list[FactorOut]


class ValuationPublic(BaseModel):
    id: str
    pledge_id: str | None
    method: str
    method_version: str
    application_numbers: list[str]
    low: MoneyModel
    point: MoneyModel
    high: MoneyModel
    patents: list[PatentValuationOut]
    loan_to_value_percent: RatePercent | None
    proposed_max_loan: MoneyModel | None
    valued_on: date


class InsuranceProductCreate(_Input):
    kind: ProductKind
    name: VisibleStr = Field(max_length=255, examples=["专利权质押融资保证保险"])
    premium_rate_percent: PositiveRatePercent = Field(examples=["1.5"])
    max_coverage: PositiveMoney


class InsuranceProductPublic(BaseModel):
    id: str
    kind: ProductKind
    name: str
    insurer_org_id: str
    premium_rate_percent: RatePercent
    max_coverage: MoneyModel


class InsuredIn(_Input):
    org_id: OrgId
    name: VisibleStr = Field(max_length=255)


class InsurancePolicyCreate(_Input):
    """Bound to exactly one subject, the one its product insures: a pledge (guarantee
    insurance), a licence (open-licence transaction) or a patent (overseas enforcement)."""

    product_id: str = Field(min_length=1, max_length=36)
    insured: InsuredIn
    pledge_id: str | None = Field(default=None, max_length=36)
    license_id: str | None = Field(default=None, max_length=64)
    application_number: ApplicationNumberStr | None = None
    coverage: PositiveMoney
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _period(self) -> InsurancePolicyCreate:
        if self.ends_on <= self.starts_on:
            raise ValueError(f"ends_on {self.ends_on} must be after starts_on {self.starts_on}")
        return self


class InsurancePolicyPublic(BaseModel):
    id: str
    product_id: str
    kind: ProductKind
    insurer_org_id: str
    insured_org_id: str
    pledge_id: str | None
    license_id: str | None
    application_numbers: list[str]
    coverage: MoneyModel
    premium: MoneyModel
    committed: MoneyModel
    starts_on: date
    ends_on: date


class InsuranceClaimCreate(_Input):
    amount: PositiveMoney
    incurred_on: date
    description: VisibleStr = Field(max_length=1000)


class ClaimApprovalIn(_Input):
    approved_amount: PositiveMoney


class ClaimPaymentIn(_Input):
    paid_on: date


class InsuranceClaimPublic(BaseModel):
    id: str
    policy_id: str
    status: ClaimStatus
    amount: MoneyModel
    approved_amount: MoneyModel | None
    incurred_on: date
    description: str
    rejection_reason: str | None
    paid_on: date | None
