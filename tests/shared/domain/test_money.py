"""Money: exact CNY decimals, half-up rounding to the fen, no floats."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from shared.domain import CNY, Money, UnsupportedCurrency, to_fen


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.005"), "1.01"),
        (Decimal("1.004"), "1.00"),
        (Decimal("2.675"), "2.68"),  # the classic float trap: 2.675 is 2.67499... as a float
        (Decimal("-1.005"), "-1.01"),
        (Decimal("0.125"), "0.13"),  # half-up, not banker's rounding
        (Decimal("10"), "10.00"),
        (10, "10.00"),
        (0, "0.00"),
        ("1234.5", "1234.50"),
        (" 99.999 ", "100.00"),
        ("-0.001", "0.00"),
        ("1E+3", "1000.00"),
        (Decimal("-0"), "0.00"),
        (Decimal("123456789012345678.015"), "123456789012345678.02"),
    ],
)
def test_to_fen_rounds_half_up(value: Decimal | str | int, expected: str) -> None:
    result = to_fen(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_to_fen_never_returns_negative_zero() -> None:
    assert not to_fen("-0.004").is_signed()


@pytest.mark.parametrize("value", [1.5, 0.1, float("nan"), True, False, None, [1]])
def test_to_fen_refuses_floats_bools_and_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        to_fen(value)  # type: ignore[arg-type]


def test_the_float_error_says_what_to_do_instead() -> None:
    with pytest.raises(TypeError, match=r"must not be a float.*Decimal or a string"):
        to_fen(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), "-Infinity", "nan"]
)
def test_to_fen_refuses_nan_and_infinity(value: Decimal | str) -> None:
    with pytest.raises(ValueError, match="finite"):
        to_fen(value)


@pytest.mark.parametrize("value", ["", "abc", "1,234.50", "12.3.4", "¥12"])
def test_to_fen_refuses_text_that_is_not_a_number(value: str) -> None:
    with pytest.raises(ValueError, match="is not a decimal number"):
        to_fen(value)


def test_money_is_normalised_to_two_places() -> None:
    money = Money(Decimal("10"))
    assert money.amount == Decimal("10.00")
    assert str(money.amount) == "10.00"
    assert money.currency == CNY == "CNY"
    assert Money(Decimal("10")) == Money(Decimal("10.00"))
    assert hash(Money(Decimal("10"))) == hash(Money(Decimal("10.00")))


def test_money_refuses_sub_fen_amounts_instead_of_rounding_silently() -> None:
    with pytest.raises(ValueError, match="more than two decimal places"):
        Money(Decimal("1.005"))
    assert Money(Decimal("1.500")).amount == Decimal("1.50")
    assert Money.of(Decimal("1.005")) == Money(Decimal("1.01"))
    assert Money.of("2.675") == Money(Decimal("2.68"))


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError, match="float"):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        Money.of(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("currency", ["USD", "cny", "RMB", ""])
def test_only_cny_is_accepted(currency: str) -> None:
    with pytest.raises(
        UnsupportedCurrency, match=f"only CNY is supported for now, got {currency!r}"
    ):
        Money(Decimal("1.00"), currency)
    # A ValueError, so callers catching bad input need no special case.
    with pytest.raises(ValueError, match="only CNY is supported"):
        Money.zero(currency)


def test_str() -> None:
    assert str(Money(Decimal("1234.5"))) == "1234.50 CNY"
    assert str(Money(Decimal("0"))) == "0.00 CNY"
    assert str(Money(Decimal("-3.1"))) == "-3.10 CNY"
    assert str(Money.of("12345678901234.56")) == "12345678901234.56 CNY"


def test_add_and_subtract() -> None:
    a, b = Money.of("0.10"), Money.of("0.20")
    assert a + b == Money.of("0.30")
    assert b - a == Money.of("0.10")
    assert a - b == Money.of("-0.10")
    assert -a == Money.of("-0.10")
    assert Money.total([a, b, a]) == Money.of("0.40")
    assert Money.total([]) == Money.zero()
    assert Money.zero().is_zero()
    assert not a.is_zero()


def test_arithmetic_with_non_money_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = Money.of(1) + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Money.of(1) - Decimal(1)  # type: ignore[operator]


def test_multiply_by_a_rate_rounds_half_up_once() -> None:
    assert Money.of("1000.00").multiply(Decimal("0.6")) == Money.of("600.00")
    assert Money.of("0.05").multiply(Decimal("0.5")) == Money.of("0.03")  # 0.025 -> 0.03
    assert Money.of("33.33").multiply(3) == Money.of("99.99")
    assert Money.of("10.00") * Decimal("0.125") == Money.of("1.25")
    assert Decimal("0.125") * Money.of("10.01") == Money.of("1.25")  # 1.25125 -> 1.25
    assert Money.of("1.00") * 2 == Money.of("2.00")


def test_percent() -> None:
    assert Money.of("12345.67").percent(Decimal("20")) == Money.of("2469.13")  # 2469.134
    assert Money.of("100.00").percent(Decimal("12.5")) == Money.of("12.50")
    assert Money.of("0.10").percent(5) == Money.of("0.01")  # 0.005 -> 0.01


@pytest.mark.parametrize("rate", [0.5, True])
def test_multiplying_by_a_float_or_bool_is_refused(rate: object) -> None:
    with pytest.raises(TypeError):
        _ = Money.of(1) * rate
    with pytest.raises(TypeError):
        Money.of(1).multiply(rate)  # type: ignore[arg-type]


def test_multiplying_by_nan_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        Money.of(1).multiply(Decimal("NaN"))


def test_comparisons() -> None:
    small, large = Money.of("9.99"), Money.of("10.00")
    assert small < large
    assert small <= large
    assert large > small
    assert large >= small
    assert large >= Money.of(10)
    assert large <= Money.of(10)
    assert sorted([large, small, Money.zero()]) == [Money.zero(), small, large]
    assert max([small, large]) == large
    assert small != large
    assert Money.of(1) != Decimal("1.00")


def test_ordering_against_a_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = Money.of(1) < 2  # type: ignore[operator]


def test_allocate_never_loses_a_fen() -> None:
    # Zhongshan risk sharing: fund : bank : insurer : appraiser = 54 : 26 : 16 : 4.
    loss = Money.of("100000.01")
    parts = loss.allocate([54, 26, 16, 4])
    assert parts == [
        Money.of("54000.01"),
        Money.of("26000.00"),
        Money.of("16000.00"),
        Money.of("4000.00"),
    ]
    assert Money.total(parts) == loss


def test_allocate_gives_leftover_fen_to_the_largest_remainders() -> None:
    assert Money.of("0.01").allocate([1, 1, 1]) == [Money.of("0.01"), Money.zero(), Money.zero()]
    assert Money.of("1.00").allocate([1, 1, 1]) == [
        Money.of("0.34"),
        Money.of("0.33"),
        Money.of("0.33"),
    ]
    assert Money.of("10.00").allocate([Decimal("0.6"), Decimal("0.4")]) == [
        Money.of("6.00"),
        Money.of("4.00"),
    ]
    assert Money.of("0.05").allocate([1, 2]) == [Money.of("0.02"), Money.of("0.03")]


def test_allocate_a_negative_amount_and_zero_weights() -> None:
    parts = Money.of("-1.00").allocate([1, 0, 2])
    assert parts == [Money.of("-0.33"), Money.zero(), Money.of("-0.67")]
    assert Money.total(parts) == Money.of("-1.00")


@pytest.mark.parametrize(
    ("weights", "message"),
    [([], "at least one weight"), ([1, -1], "must not be negative"), ([0, 0], "all be zero")],
)
def test_allocate_refuses_bad_weights(weights: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Money.of(1).allocate(weights)


def test_it_is_immutable() -> None:
    money = Money.of(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        money.amount = Decimal(2)  # type: ignore[misc]
