"""Request and response bodies of the compensation claim, disposal and transfer."""

from __future__ import annotations

from datetime import date

from pydantic import (
    BaseModel,
    Field,
)

from pledge.api.schemas import (
    Input,
    PositiveMoney,
)
from pledge.domain.pledge import DisposalMethod
from shared.http.types import (
    MoneyModel,
    RatePercent,
    UsccStr,
    VisibleStr,
)


class ClaimIn(Input):
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


class DisposalIn(Input):
    method: DisposalMethod
    valuation: PositiveMoney | None = None
    started_on: date


class BuyerIn(Input):
    name: VisibleStr = Field(max_length=255)
    uscc: UsccStr
    party_type: str = Field(
        default="enterprise", pattern=r"^(university|research_institute|enterprise|individual)$"
    )


class TransferIn(Input):
    buyer: BuyerIn
    price: PositiveMoney
    transferred_on: date
