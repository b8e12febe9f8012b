"""Request and response bodies of insurance products, policies and claims."""

from __future__ import annotations

from datetime import date

from pydantic import (
    BaseModel,
    Field,
    model_validator,
)

from pledge.api.schemas import (
    Input,
    OrgId,
    PositiveMoney,
    PositiveRatePercent,
)
from pledge.domain.insurance import ClaimStatus, ProductKind, check_policy_period
from shared.http.types import (
    ApplicationNumberStr,
    MoneyModel,
    RatePercent,
    VisibleStr,
)


class InsuranceProductCreate(Input):
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


class InsuredIn(Input):
    org_id: OrgId
    name: VisibleStr = Field(max_length=255)


class InsurancePolicyCreate(Input):
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
        check_policy_period(self.starts_on, self.ends_on)
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


class InsuranceClaimCreate(Input):
    amount: PositiveMoney
    incurred_on: date
    description: VisibleStr = Field(max_length=1000)


class ClaimApprovalIn(Input):
    approved_amount: PositiveMoney


class ClaimPaymentIn(Input):
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
