"""Administrative division codes (行政区划代码, GB/T 2260), e.g. ``440300`` (Shenzhen).

Six digits: province (2), prefecture (2), county (2); ``00`` pairs mean "the whole level
above". Only the province part is checked against the real list: prefecture and county codes
change every year, so a full table belongs in a data file, not in a parser.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from shared.domain.errors import InvalidIdentifier
from shared.domain.identifier import NormalisedIdentifier

KIND = "region_code"

# Provinces, autonomous regions, municipalities, Taiwan (71), Hong Kong (81), Macao (82).
PROVINCE_CODES = frozenset(
    [str(n) for n in range(11, 16)]
    + [str(n) for n in range(21, 24)]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82"]
)


def _canonical(raw: str) -> str:
    if not isinstance(raw, str):
        raise InvalidIdentifier(KIND, f"expected a string, got {type(raw).__name__}")
    text = "".join(unicodedata.normalize("NFKC", raw).split())
    if not text:
        raise InvalidIdentifier(KIND, "it is empty", raw)
    if not (text.isascii() and text.isdigit()):
        raise InvalidIdentifier(KIND, "a region code has digits only", raw)
    if len(text) != 6:
        raise InvalidIdentifier(KIND, f"expected 6 digits, got {len(text)}", raw)
    if text[:2] not in PROVINCE_CODES:
        raise InvalidIdentifier(KIND, f"{text[:2]} is not a province code", raw)
    return text


@dataclass(frozen=True)
class RegionCode(NormalisedIdentifier):
    """A GB/T 2260 administrative division code (six digits).

    Build it with :meth:`parse`; the constructor accepts only the normalised form.
    """

    kind: ClassVar[str] = KIND
    canonical = staticmethod(_canonical)

    @classmethod
    def parse(cls, raw: str) -> RegionCode:
        """Parse six digits (spaces ignored); raises :class:`InvalidIdentifier`."""
        return super().parse(raw)

    @property
    def province_code(self) -> str:
        """The province-level code, e.g. ``"440000"`` for ``"440305"``."""
        return self.value[:2] + "0000"

    @property
    def prefecture_code(self) -> str | None:
        """The prefecture-level code, e.g. ``"440300"``; None for a province-level code."""
        return None if self.is_province else self.value[:4] + "00"

    @property
    def is_province(self) -> bool:
        """True for a province-level code such as ``"440000"``."""
        return self.value[2:] == "0000"

    def is_within(self, other: RegionCode) -> bool:
        """True if this region is ``other`` or lies inside it (for region filters)."""
        if other.is_province:
            return self.value[:2] == other.value[:2]
        if other.value[4:] == "00":
            return self.value[:4] == other.value[:4]
        return self.value == other.value
