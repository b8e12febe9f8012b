"""Chinese patent application numbers (专利申请号) and the patent type they encode.

Since 1 October 2003 an application number is ``YYYY`` (filing year) + one type digit + a
7-digit serial + ``.`` + a check digit, e.g. ``201710601862.3``. Before that it was ``YY`` +
type digit + 5-digit serial + ``.`` + check, e.g. ``98112345.6``. The check digit is the sum
of the digits times the weights 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5 (for 8-digit numbers
2..9) modulo 11, with 10 written ``X``. The patent number (专利号) is ``ZL`` + the
application number.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import ClassVar

from shared.domain.errors import InvalidIdentifier
from shared.domain.identifier import NormalisedIdentifier

KIND = "application_number"

_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_PREFIXES = ("CN", "ZL")
# Years the 8-digit format was in use: CNIPA (then CPO) numbering started in 1985 and the
# 12-digit format replaced it on 1 October 2003.
_FIRST_YEAR = 1985
_LAST_SHORT_FORMAT_YEAR = 2003


class PatentType(StrEnum):
    """The three kinds of Chinese patent."""

    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"


# Type digit -> patent type; 8 and 9 are PCT applications entering the national phase.
_TYPE_DIGITS = {
    "1": PatentType.INVENTION,
    "2": PatentType.UTILITY_MODEL,
    "3": PatentType.DESIGN,
    "8": PatentType.INVENTION,
    "9": PatentType.UTILITY_MODEL,
}
_PCT_DIGITS = frozenset("89")


def application_number_check_digit(digits: str) -> str:
    """Return the check digit (``"0"``-``"9"`` or ``"X"``) for 12 (or pre-2003: 8) digits.

    Useful for building valid demo and test numbers; :meth:`ApplicationNumber.parse` uses it
    to verify input.
    """
    if len(digits) not in (8, 12) or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"expected 8 or 12 ASCII digits, got {digits!r}")
    total = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def _latest_plausible_year() -> int:
    # One year of slack: numbers are assigned in Beijing time, and a clock near New Year
    # (or a slightly wrong one) must not reject a freshly filed application.
    return date.today().year + 1


def _filing_year(digits: str) -> int:
    if len(digits) == 12:
        return int(digits[:4])
    yy = int(digits[:2])
    return 1900 + yy if yy >= 85 else 2000 + yy


CHECK_DIGIT_RULE = "check_digit"
"""``InvalidIdentifier.rule`` of a well-formed number whose check digit does not match."""


def _fail(reason: str, raw: str, rule: str | None = None) -> InvalidIdentifier:
    return InvalidIdentifier(KIND, reason, raw, rule=rule)


def _canonical(raw: str) -> str:
    """Normalise and validate ``raw``; return ``digits + "." + check``."""
    if not isinstance(raw, str):
        raise InvalidIdentifier(KIND, f"expected a string, got {type(raw).__name__}")
    return _canonical_text(raw)


# A number is often parsed twice in a row (schema, then domain), a million times in a bulk
# import. Only valid numbers are remembered, and the plausible years only ever grow, so
# a remembered number stays valid.
@functools.lru_cache(maxsize=4096)
def _canonical_text(raw: str) -> str:
    # NFKC folds full-width digits, letters and the full-width dot typed with Chinese IMEs.
    text = "".join(unicodedata.normalize("NFKC", raw).split()).upper()
    if text.startswith(_PREFIXES):
        text = text[2:]
    if not text:
        raise _fail("it is empty", raw)
    if "." in text:
        digits, _, check = text.partition(".")
        if len(check) != 1:
            raise _fail(
                f"expected exactly one check digit after the dot, got {len(check)} characters",
                raw,
            )
    else:
        if text.isascii() and text.isdigit() and len(text) in (8, 12):
            raise _fail(f"the check digit is missing after the {len(text)} digits", raw)
        digits, check = text[:-1], text[-1]
    for position, char in enumerate(digits, start=1):
        if not (char.isascii() and char.isdigit()):
            raise _fail(f"character {char!r} at position {position} is not a digit", raw)
    if len(digits) not in (8, 12):
        raise _fail(
            f"expected 12 digits (8 for numbers filed before October 2003) before the check "
            f"digit, got {len(digits)}",
            raw,
        )
    if not (check == "X" or (check.isascii() and check.isdigit())):
        raise _fail(f"the check digit must be 0-9 or X, got {check!r}", raw)

    year = _filing_year(digits)
    if len(digits) == 8 and not _FIRST_YEAR <= year <= _LAST_SHORT_FORMAT_YEAR:
        raise _fail(
            f"year digits {digits[:2]} are not plausible: 8-digit numbers were issued "
            f"from {_FIRST_YEAR} to {_LAST_SHORT_FORMAT_YEAR}",
            raw,
        )
    latest = _latest_plausible_year()
    if len(digits) == 12 and not _FIRST_YEAR <= year <= latest:
        raise _fail(
            f"filing year {year} is not plausible (expected {_FIRST_YEAR} to {latest})", raw
        )
    type_digit = digits[4] if len(digits) == 12 else digits[2]
    if type_digit not in _TYPE_DIGITS:
        raise _fail(
            f"type digit {type_digit} is unknown (1 invention, 2 utility model, 3 design, "
            "8 PCT invention, 9 PCT utility model)",
            raw,
        )
    expected = application_number_check_digit(digits)
    if check != expected:
        raise _fail(f"check digit is {expected} but {check} was given", raw, CHECK_DIGIT_RULE)
    return f"{digits}.{check}"


@dataclass(frozen=True)
class ApplicationNumber(NormalisedIdentifier):
    """A validated application number in its one normalised form (``201710601862.3``).

    Build it with :meth:`parse`; the constructor accepts only the normalised form.
    """

    kind: ClassVar[str] = KIND
    canonical = staticmethod(_canonical)

    @classmethod
    def parse(cls, raw: str) -> ApplicationNumber:
        """Parse user input: ``CN``/``ZL`` prefixes (any case), spaces, a missing dot and a
        lowercase ``x`` are accepted. Raises :class:`InvalidIdentifier` naming the problem.
        """
        return super().parse(raw)

    @property
    def digits(self) -> str:
        """The 12 (or 8) digits before the check digit."""
        return self.value[:-2]

    @property
    def check_digit(self) -> str:
        """The check digit, ``"0"``-``"9"`` or ``"X"``."""
        return self.value[-1]

    @property
    def filing_year(self) -> int:
        """The filing year encoded in the number (two-digit years for pre-2003 numbers)."""
        return _filing_year(self.digits)

    @property
    def _type_digit(self) -> str:
        return self.digits[4] if len(self.digits) == 12 else self.digits[2]

    @property
    def patent_type(self) -> PatentType:
        """The kind of patent; PCT national-phase numbers (8, 9) map to invention and
        utility model."""
        return _TYPE_DIGITS[self._type_digit]

    @property
    def is_pct(self) -> bool:
        """True for a PCT application that entered the Chinese national phase."""
        return self._type_digit in _PCT_DIGITS

    @property
    def patent_number(self) -> str:
        """The patent number (专利号): ``ZL`` + the application number."""
        return "ZL" + self.value
