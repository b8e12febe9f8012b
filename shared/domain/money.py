"""Money in CNY as exact decimals, rounded half-up to the fen (0.01 yuan).

Floats are refused everywhere: ``0.1 + 0.2`` is not ``0.3`` in binary floating point, and a
royalty statement or a loan amount must add up to the fen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any, Final

CNY: Final = "CNY"
SUPPORTED_CURRENCIES = frozenset({CNY})

FEN = Decimal("0.01")
# Headroom for products such as amount * rate before the single rounding to the fen.
_WORKING_PRECISION = 60


class UnsupportedCurrency(ValueError):
    """A currency other than CNY was given."""

    def __init__(self, currency: object) -> None:
        self.currency = currency
        super().__init__(f"only {CNY} is supported for now, got {currency!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.currency,)


def _to_decimal(value: object, what: str) -> Decimal:
    # bool is an int subclass; True must not silently become 1 yuan.
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a Decimal, str or int, not bool")
    if isinstance(value, float):
        raise TypeError(
            f"{what} must not be a float ({value!r}); pass a Decimal or a string such as "
            '"1234.50" so no binary rounding error creeps in'
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a decimal number") from None
    else:
        raise TypeError(f"{what} must be a Decimal, str or int, not {type(value).__name__}")
    if not number.is_finite():
        raise ValueError(f"{what} must be a finite number, got {number}")
    return number


def to_fen(value: Decimal | str | int) -> Decimal:
    """``value`` as a Decimal with exactly two places, rounded half-up (1.005 -> 1.01).

    Raises ``TypeError`` for floats (and bools) and ``ValueError`` for text that is not a
    number, NaN and infinities.
    """
    number = _to_decimal(value, "an amount")
    with localcontext() as ctx:
        ctx.prec = _WORKING_PRECISION
        try:
            result = number.quantize(FEN, rounding=ROUND_HALF_UP)
        except InvalidOperation:
            raise ValueError(f"{number} is too large for an amount") from None
    # Decimal keeps the sign of zero; "-0.00 CNY" would confuse every reader.
    return result if result else FEN * 0


def _rate(rate: object) -> Decimal:
    return _to_decimal(rate, "a rate")


@dataclass(frozen=True)
class Money:
    """An amount of money: a Decimal with two places and its currency (only CNY for now).

    The amount must already be exact to the fen (use :meth:`of` or :func:`to_fen` to
    round); arithmetic keeps it so: ``+``/``-`` between Money values, ``*`` by a Decimal or
    int rate (rounded half-up once, at the end). Money may be negative (a balance); the API
    edge decides whether a negative input is allowed.
    """

    amount: Decimal
    currency: str = CNY

    def __post_init__(self) -> None:
        if self.currency not in SUPPORTED_CURRENCIES:
            raise UnsupportedCurrency(self.currency)
        exact = _to_decimal(self.amount, "an amount")
        rounded = to_fen(exact)
        if rounded != exact:
            raise ValueError(
                f"amount {exact} has more than two decimal places; round it with "
                "Money.of() or to_fen() first"
            )
        object.__setattr__(self, "amount", rounded)

    @classmethod
    def of(cls, value: Decimal | str | int, currency: str = CNY) -> Money:
        """Money from a Decimal, str or int, rounded half-up to the fen."""
        return cls(to_fen(value), currency)

    @classmethod
    def zero(cls, currency: str = CNY) -> Money:
        """0.00 CNY."""
        return cls(Decimal("0.00"), currency)

    @classmethod
    def total(cls, items: Iterable[Money], currency: str = CNY) -> Money:
        """The sum of ``items`` (zero for none); ``sum()`` would start from the int 0."""
        result = cls.zero(currency)
        for item in items:
            result = result + item
        return result

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def multiply(self, rate: Decimal | int) -> Money:
        """``amount * rate`` rounded half-up to the fen (e.g. a 60 % loan-to-value)."""
        factor = _rate(rate)
        with localcontext() as ctx:
            ctx.prec = _WORKING_PRECISION
            product = self.amount * factor
        return Money(to_fen(product), self.currency)

    def percent(self, rate_percent: Decimal | int) -> Money:
        """``rate_percent`` % of this amount, rounded once: ``percent(Decimal("12.5"))``."""
        factor = _rate(rate_percent)
        with localcontext() as ctx:
            ctx.prec = _WORKING_PRECISION
            product = self.amount * factor / 100
        return Money(to_fen(product), self.currency)

    def __mul__(self, rate: object) -> Money:
        if isinstance(rate, Decimal | int) and not isinstance(rate, bool):
            return self.multiply(rate)
        if isinstance(rate, float):
            # Returning NotImplemented would give a vague "unsupported operand" message.
            raise TypeError("cannot multiply Money by a float; use a Decimal rate")
        return NotImplemented

    __rmul__ = __mul__

    def allocate(self, weights: Sequence[Decimal | int]) -> list[Money]:
        """Split into parts proportional to ``weights`` that add up exactly to this amount.

        Each part is rounded down to the fen and the leftover fen go one by one to the
        parts with the largest remainders (earlier parts win ties): a defaulted loan shared
        fund : bank : insurer : appraiser = 54 : 26 : 16 : 4 never loses or invents a fen.
        """
        factors = [_rate(w) for w in weights]
        if not factors:
            raise ValueError("allocate needs at least one weight")
        if any(f < 0 for f in factors):
            raise ValueError("weights must not be negative")
        whole = sum(factors, Decimal(0))
        if not whole:
            raise ValueError("weights must not all be zero")
        sign = -1 if self.amount < 0 else 1
        total_fen = int(abs(self.amount) * 100)
        with localcontext() as ctx:
            ctx.prec = _WORKING_PRECISION
            exact = [total_fen * f / whole for f in factors]
        floors = [int(x) for x in exact]
        leftover = total_fen - sum(floors)
        by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
        for i in by_remainder[:leftover]:
            floors[i] += 1
        return [Money(Decimal(sign * fen) / 100, self.currency) for fen in floors]

    def _compare(self, other: object) -> Decimal | None:
        if not isinstance(other, Money):
            return None
        self._same_currency(other)
        return other.amount

    def __lt__(self, other: object) -> bool:
        amount = self._compare(other)
        return NotImplemented if amount is None else self.amount < amount

    def __le__(self, other: object) -> bool:
        amount = self._compare(other)
        return NotImplemented if amount is None else self.amount <= amount

    def __gt__(self, other: object) -> bool:
        amount = self._compare(other)
        return NotImplemented if amount is None else self.amount > amount

    def __ge__(self, other: object) -> bool:
        amount = self._compare(other)
        return NotImplemented if amount is None else self.amount >= amount

    def is_zero(self) -> bool:
        """True for 0.00."""
        return not self.amount

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"
