"""Request and response bodies of banks' policies and risk-compensation programmes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    field_validator,
)

from pledge.api.schemas import (
    Input,
    OrgId,
    PositiveMoney,
)
from pledge.domain.bank_policy import check_loan_to_value
from shared.http.types import (
    MoneyModel,
    RatePercent,
    RegionCodeStr,
    VisibleStr,
)


class BankOnboarded(BaseModel):
    bank_org_id: str
    topic: str = Field(
        description="The bank's own topic of pledge events; it exists on the broker.",
        examples=["ipmarket.pledge.bank.bank-icbc-sz.v1"],
    )


class BankPolicyIn(Input):
    min_remaining_term_years: StrictInt = Field(
        ge=0, le=20, description="Patents with less term left are refused.", examples=[5]
    )
    loan_to_value_percent: RatePercent = Field(
        description="Share of the valuation the bank lends against (40-60 %).", examples=["50"]
    )

    @field_validator("loan_to_value_percent")
    @classmethod
    def _ltv_range(cls, value: Decimal) -> Decimal:
        return check_loan_to_value(value)


class BankPolicyPublic(BaseModel):
    bank_org_id: str
    min_remaining_term_years: int
    loan_to_value_percent: RatePercent
    updated_at: datetime


class LossSharingIn(Input):
    fund: RatePercent
    bank: RatePercent
    insurer: RatePercent = Decimal(0)
    appraiser: RatePercent = Decimal(0)


class ProgrammeCreate(Input):
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
