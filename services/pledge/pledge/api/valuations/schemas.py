"""Request and response bodies of valuations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    BaseModel,
    Field,
    StrictInt,
)

from pledge.api.schemas import (
    Input,
    MoneyAmountSigned,
    OrgId,
)
from shared.http.types import (
    ApplicationNumberStr,
    MoneyModel,
    RatePercent,
)

ClaimsCounts = Annotated[
    dict[ApplicationNumberStr, Annotated[StrictInt, Field(ge=1, le=1000)]],
    Field(description="Claims per patent, where known (application number -> count)."),
]


class ValuationRequest(Input):
    application_numbers: list[ApplicationNumberStr] = Field(min_length=1, max_length=50)
    claims_counts: ClaimsCounts = Field(default_factory=dict)
    bank_org_id: OrgId | None = Field(
        default=None, description="Apply this bank's loan-to-value to propose a maximum loan."
    )


class PledgeValuationIn(Input):
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
