"""Pydantic types for request and response schemas, built on :mod:`shared.domain`.

Identifier types (:data:`ApplicationNumberStr`, :data:`UsccStr`, :data:`IpcCodeStr`,
:data:`RegionCodeStr`) accept what users type and hand the service the one normalised
string; an invalid value fails validation with the domain parser's reason (``"check digit is
3 but 7 was given"``) as the message, which the problem+json handler shows per field.

Names and titles that must show something are :data:`VisibleStr`: spaces, zero-width
characters and the like alone are refused, and so are control characters.

Numbers that are money or rates travel as JSON strings (``"1234.50"``, ``"12.5"``). JSON
integers are accepted too, but never JSON numbers with a fraction: a float cannot hold
``0.1`` exactly, and a client that computed an amount in floating point must be told, not
silently rounded. Booleans are never numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal, Protocol

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    Strict,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from shared.domain import (
    CNY,
    ApplicationNumber,
    InvalidIdentifier,
    IpcCode,
    Money,
    RegionCode,
    UnsupportedCurrency,
    Uscc,
)
from shared.domain import application_number as application_numbers
from shared.domain import uscc as usccs
from shared.errors import ApplicationNumberCheckDigit, FieldRuleViolation, UsccCheckCharacter

__all__ = [
    "ApplicationNumberStr",
    "Instant",
    "IpcCodeStr",
    "MoneyAmount",
    "MoneyModel",
    "RatePercent",
    "RegionCodeStr",
    "UsccStr",
    "VisibleStr",
]


# --- identifiers ---------------------------------------------------------------------------


class _Identifier(Protocol):
    @property
    def value(self) -> str: ...


# Rules whose failure is a problem type of its own, by identifier kind and rule.
_RULE_PROBLEMS: dict[tuple[str, str | None], type[FieldRuleViolation]] = {
    (application_numbers.KIND, application_numbers.CHECK_DIGIT_RULE): ApplicationNumberCheckDigit,
    (usccs.KIND, usccs.CHECK_CHARACTER_RULE): UsccCheckCharacter,
}


def _normalised_by(parse: Callable[[str], _Identifier]) -> AfterValidator:
    def validate(raw: str) -> str:
        try:
            return parse(raw).value
        except InvalidIdentifier as exc:
            context: dict[str, str] = {"reason": exc.reason, "kind": exc.kind}
            problem = _RULE_PROBLEMS.get((exc.kind, exc.rule))
            if problem is not None:
                context["problem"] = problem.slug
            # The reason alone: the problem handler already prefixes the field location.
            raise PydanticCustomError(f"invalid_{exc.kind}", "{reason}", context) from None

    return AfterValidator(validate)


ApplicationNumberStr = Annotated[
    str,
    Strict(),
    Field(
        max_length=40,
        description=(
            "Chinese patent application number (申请号); CN/ZL prefixes, spaces and a missing "
            "dot are accepted, the response always carries the normalised form."
        ),
        json_schema_extra={"examples": ["201710601862.3"]},
    ),
    _normalised_by(ApplicationNumber.parse),
]
"""An application number, normalised to ``201710601862.3``."""

UsccStr = Annotated[
    str,
    Strict(),
    Field(
        max_length=40,
        description="Unified social credit code (统一社会信用代码, GB 32100), 18 characters.",
        json_schema_extra={"examples": ["91350100M000100Y43"]},
    ),
    _normalised_by(Uscc.parse),
]
"""A unified social credit code, upper case without spaces."""

IpcCodeStr = Annotated[
    str,
    Strict(),
    Field(
        max_length=40,
        description="IPC symbol, normalised to section+class+subclass, space, group/subgroup.",
        json_schema_extra={"examples": ["H04L 9/32"]},
    ),
    _normalised_by(IpcCode.parse),
]
"""An IPC symbol, normalised to ``H04L 9/32``."""

RegionCodeStr = Annotated[
    str,
    Strict(),
    Field(
        max_length=20,
        description="Administrative division code (行政区划代码, GB/T 2260), six digits.",
        json_schema_extra={"examples": ["440300"]},
    ),
    _normalised_by(RegionCode.parse),
]
"""A GB/T 2260 region code (six digits)."""


# --- instants ----------------------------------------------------------------------------------


def _in_utc(value: datetime) -> datetime:
    # An offset can carry a time at either end of the calendar past it (0001-01-01T00:00
    # at +01:00 is in year 0 in UTC): no datetime holds that, and nothing can store it.
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise PydanticCustomError(
            "datetime_range",
            "outside the range of instants (years 1 to 9999 in UTC): {value}",
            {"value": value.isoformat()},
        ) from None


Instant = Annotated[AwareDatetime, AfterValidator(_in_utc)]
"""A point in time given with its UTC offset, handed to the service in UTC; one whose
UTC time falls outside years 1-9999 is refused (``datetime_range``)."""


# --- text that must show something ----------------------------------------------------------

# Characters that show nothing: separators (spaces of every width, U+3000 included), marks
# on their own, controls, format characters (U+200B-U+200D zero-width, U+FEFF) and
# surrogates. Private-use and unassigned code points may be rare hanzi (生僻字) the
# font has and our Unicode tables do not know: they count as visible.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Mn", "Mc", "Me", "Cc", "Cf", "Cs"})
# Letters and symbols that are drawn blank: Hangul fillers, the braille blank.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# C0 and C1 controls but tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _shows(char: str) -> bool:
    return unicodedata.category(char) not in _INVISIBLE_CATEGORIES and char not in _BLANK_GLYPHS


def _check_visible(value: str) -> str:
    control = _CONTROL.search(value)
    if control is not None:
        raise PydanticCustomError(
            "string_control_character",
            "control character U+{code} at position {position} is not allowed",
            {"code": f"{ord(control.group()):04X}", "position": control.start() + 1},
        )
    if not any(map(_shows, value)):
        raise PydanticCustomError(
            "string_not_visible",
            "must contain a visible character, not only spaces or invisible characters "
            "(zero-width spaces, byte order marks, fillers)",
        )
    return value


VisibleStr = Annotated[str, Field(min_length=1), AfterValidator(_check_visible)]
"""A name, title or other text a person must be able to read: at least one visible
character, no control characters (tab and line breaks allowed). Give ``max_length`` where
it is used: ``title: VisibleStr = Field(max_length=200)``."""


# --- decimals ------------------------------------------------------------------------------

_DECIMAL_TEXT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_MAX_MONEY = Decimal("999999999999999.99")
_FEN = Decimal("0.01")


def _decimal_input(what: str, example: str) -> BeforeValidator:
    """Accept a decimal string, an int or a Decimal; refuse floats, bools and the rest."""

    def convert(value: object) -> object:
        if isinstance(value, bool):
            raise PydanticCustomError(
                "decimal_type",
                "expected {what} as a decimal string such as {example}, got a boolean",
                {"what": what, "example": example},
            )
        if isinstance(value, float):
            raise PydanticCustomError(
                "decimal_float",
                "send {what} as a string such as {example} (or an integer), never as a "
                "JSON number with a fraction, which cannot hold decimals exactly",
                {"what": what, "example": example},
            )
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, str):
            text = value.strip()
            if not _DECIMAL_TEXT.fullmatch(text):
                raise PydanticCustomError(
                    "decimal_parsing",
                    "'{value}' is not {what} such as {example}",
                    # Quoted as UTF-8 can write it: pydantic cannot render a message
                    # holding a lone surrogate, and the 422 would become a 500.
                    {
                        "value": value[:40].encode("utf-8", "backslashreplace").decode(),
                        "what": what,
                        "example": example,
                    },
                )
            return Decimal(text)
        raise PydanticCustomError(
            "decimal_type",
            "expected {what} as a decimal string such as {example}, got {type}",
            {"what": what, "example": example, "type": type(value).__name__},
        )

    return BeforeValidator(convert)


def _decimal_places(value: Decimal) -> int:
    # Trailing zeros carry no value: "1.500" is 1.50 and fits in fen.
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite: the decimal schema refuses NaN and infinity
    return max(0, -exponent)


def _check_money(value: Decimal) -> Decimal:
    if value < 0:
        raise PydanticCustomError(
            "money_negative", "amount must not be negative, got {value}", {"value": str(value)}
        )
    places = _decimal_places(value)
    if places > 2:
        raise PydanticCustomError(
            "money_decimal_places",
            "amount {value} has {places} decimal places; at most 2 (fen) are allowed",
            {"value": str(value), "places": places},
        )
    if value > _MAX_MONEY:
        raise PydanticCustomError(
            "money_too_large",
            "amount {value} is too large (at most {max})",
            {"value": str(value), "max": str(_MAX_MONEY)},
        )
    return value.quantize(_FEN)


def _money_text(value: Decimal) -> str:
    return f"{value.quantize(_FEN, rounding=ROUND_HALF_UP):f}"


MoneyAmount = Annotated[
    Decimal,
    _decimal_input("an amount", '"1234.50"'),
    AfterValidator(_check_money),
    PlainSerializer(_money_text, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[0-9]+(\.[0-9]{1,2})?$",
            "description": (
                "Amount in CNY as a decimal string with at most two decimals (fen); "
                "JSON integers are accepted, numbers with a fraction are not. Responses "
                "always carry two decimals."
            ),
            "examples": ["1234.50"],
        }
    ),
]
"""A non-negative CNY amount: exact to the fen, a string with two decimals in JSON."""


def _check_rate(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(100):
        raise PydanticCustomError(
            "rate_range",
            "rate must be between 0 and 100 percent, got {value}",
            {"value": str(value)},
        )
    places = _decimal_places(value)
    if places > 4:
        raise PydanticCustomError(
            "rate_decimal_places",
            "rate {value} has {places} decimal places; at most 4 are allowed",
            {"value": str(value), "places": places},
        )
    return value


def _rate_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


RatePercent = Annotated[
    Decimal,
    _decimal_input("a percentage", '"12.5"'),
    AfterValidator(_check_rate),
    PlainSerializer(_rate_text, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[0-9]{1,3}(\.[0-9]{1,4})?$",
            "description": (
                "Percentage from 0 to 100 with at most four decimals, as a string "
                '("12.5" means 12.5 %); JSON integers are accepted, numbers with a '
                "fraction are not."
            ),
            "examples": ["12.5"],
        }
    ),
]
"""A percentage 0-100 with up to four decimals, a string in JSON."""


class MoneyModel(BaseModel):
    """An amount with its currency, as sent and returned by the API."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: MoneyAmount
    currency: Literal["CNY"] = CNY

    def to_money(self) -> Money:
        """The domain value."""
        return Money(self.amount, self.currency)

    @classmethod
    def from_money(cls, money: Money) -> MoneyModel:
        """The API shape of ``money`` (which must be CNY and not negative)."""
        if money.currency != CNY:
            raise UnsupportedCurrency(money.currency)
        return cls(amount=money.amount, currency=CNY)
