"""Loss sharing, to the fen, with the fund's budget: pure domain, no infrastructure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pledge.domain.compensation import LossSharing, split_loss
from pledge.domain.errors import ProgrammeBudgetExhausted, ProgrammeSharesInvalid
from shared.domain import Money

ZHONGSHAN = LossSharing(Decimal(54), Decimal(26), Decimal(16), Decimal(4))
ZHUHAI = LossSharing(fund=Decimal(40), bank=Decimal(60))
PLENTY = Money.of("100000000.00")


def amounts(split: dict[str, Money]) -> dict[str, str]:
    return {party: str(m.amount) for party, m in split.items()}


def test_zhongshan_split_is_exact_and_the_odd_fen_goes_to_the_largest_remainder() -> None:
    split = split_loss(Money.of("1234567.89"), ZHONGSHAN, PLENTY)
    assert amounts(split.shares) == {
        "fund": "666666.66",
        "bank": "320987.65",
        "insurer": "197530.86",
        "appraiser": "49382.72",
    }
    assert split.fund_shortfall.is_zero()


@pytest.mark.parametrize("loss", ["0.01", "0.03", "1.00", "99999.99", "1000000.01", "7"])
@pytest.mark.parametrize("sharing", [ZHONGSHAN, ZHUHAI])
def test_shares_always_add_up_to_the_loss(loss: str, sharing: LossSharing) -> None:
    split = split_loss(Money.of(loss), sharing, PLENTY)
    assert Money.total(split.shares.values()) == Money.of(loss)


def test_ties_go_to_the_earlier_party_deterministically() -> None:
    even = LossSharing(fund=Decimal(50), bank=Decimal(50))
    assert amounts(split_loss(Money.of("0.01"), even, PLENTY).shares)["fund"] == "0.01"


def test_a_claim_over_the_remaining_budget_is_capped_and_the_bank_bears_the_rest() -> None:
    split = split_loss(Money.of("1000000.00"), ZHUHAI, Money.of("100000.00"))
    assert amounts(split.shares) == {
        "fund": "100000.00",
        "bank": "900000.00",
        "insurer": "0.00",
        "appraiser": "0.00",
    }
    assert split.fund_shortfall == Money.of("300000.00")


def test_an_empty_fund_refuses() -> None:
    with pytest.raises(ProgrammeBudgetExhausted):
        split_loss(Money.of("10.00"), ZHUHAI, Money.zero())


@pytest.mark.parametrize("shares", [(54, 26, 16, 3), (40, 61, 0, 0), ("33.3333", "66.6666", 0, 0)])
def test_shares_must_add_up_to_exactly_100(shares: tuple[object, ...]) -> None:
    with pytest.raises(ProgrammeSharesInvalid, match="not 100"):
        LossSharing(*(Decimal(str(x)) for x in shares))
