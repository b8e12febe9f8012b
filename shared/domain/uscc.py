"""Unified social credit codes (统一社会信用代码, GB 32100-2015) identifying parties.

18 characters from ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z): registration
authority (1), organisation category (1), administrative region code (6), organisation code
(9) and a check character. The check character is ``(31 - sum(value_i * 3^i mod 31) mod 31)
mod 31`` over the first 17 characters, i counted from 0, mapped back into the alphabet.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from shared.domain.errors import InvalidIdentifier
from shared.domain.identifier import NormalisedIdentifier

KIND = "uscc"
CHECK_CHARACTER_RULE = "check_character"
"""``InvalidIdentifier.rule`` of a well-formed code whose check character does not match."""

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: index for index, char in enumerate(USCC_ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_LENGTH = 18


def uscc_check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a USCC.

    Lets tests and demo data build valid codes: ``first17 + uscc_check_character(first17)``.
    Raises :class:`InvalidIdentifier` if ``first17`` is not 17 characters of the alphabet.
    """
    if len(first17) != _LENGTH - 1:
        raise InvalidIdentifier(KIND, f"expected 17 characters, got {len(first17)}", first17)
    _check_alphabet(first17, first17)
    total = sum(_VALUES[char] * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def _check_alphabet(text: str, raw: str) -> None:
    for position, char in enumerate(text, start=1):
        if char not in _VALUES:
            raise InvalidIdentifier(
                KIND,
                f"character {char!r} at position {position} is not allowed (a USCC uses "
                "the digits and the capital letters except I, O, S, V and Z)",
                raw,
            )


def _canonical(raw: str) -> str:
    if not isinstance(raw, str):
        raise InvalidIdentifier(KIND, f"expected a string, got {type(raw).__name__}")
    # NFKC folds full-width characters typed with Chinese IMEs.
    text = "".join(unicodedata.normalize("NFKC", raw).split()).upper()
    if not text:
        raise InvalidIdentifier(KIND, "it is empty", raw)
    _check_alphabet(text, raw)
    if len(text) != _LENGTH:
        raise InvalidIdentifier(KIND, f"expected 18 characters, got {len(text)}", raw)
    expected = uscc_check_character(text[:17])
    if text[17] != expected:
        raise InvalidIdentifier(
            KIND,
            f"check character is {expected} but {text[17]} was given",
            raw,
            rule=CHECK_CHARACTER_RULE,
        )
    return text


@dataclass(frozen=True)
class Uscc(NormalisedIdentifier):
    """A validated unified social credit code, upper case without spaces.

    Build it with :meth:`parse`; the constructor accepts only the normalised form.
    """

    kind: ClassVar[str] = KIND
    canonical = staticmethod(_canonical)

    @classmethod
    def parse(cls, raw: str) -> Uscc:
        """Parse user input (any case, spaces allowed); raises :class:`InvalidIdentifier`."""
        return super().parse(raw)

    @property
    def region_code(self) -> str:
        """Characters 3-8: the GB/T 2260 code of the registering authority's region."""
        return self.value[2:8]
