"""Request and response pieces several areas of the pledge API share."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer
from pydantic_core import PydanticCustomError

from shared.http.types import MoneyModel, RatePercent, VisibleStr

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


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RefusalIn(Input):
    reason: Reason


def money_or_none(amount: Decimal | None, currency: str) -> MoneyModel | None:
    return None if amount is None else money(amount, currency)


def money(amount: Decimal, currency: str) -> MoneyModel:
    return MoneyModel.model_validate({"amount": str(amount), "currency": currency})
