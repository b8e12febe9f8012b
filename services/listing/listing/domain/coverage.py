"""Inventory coverage figures (盘点覆盖率): of an institution's (a region's, the
nation's) valid patents, how many are inventoried, evaluated and tiered, and per tier."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TIERS = ("A", "B", "C", "D")
_RATE = Decimal("0.0001")


@dataclass(frozen=True)
class CoverageFigures:
    valid: int  # valid patents in the catalogue
    inventoried: int  # of them, with an inventory record
    evaluated: int  # of them, with any evaluation recorded
    tiered: int  # of them, with a tier in force
    tier_a: int = 0
    tier_b: int = 0
    tier_c: int = 0
    tier_d: int = 0

    @staticmethod
    def rate(part: int, whole: int) -> Decimal | None:
        """``part / whole`` to four decimals; None when there is nothing to cover."""
        if whole == 0:
            return None
        return (Decimal(part) / Decimal(whole)).quantize(_RATE, rounding=ROUND_HALF_UP)

    @property
    def inventoried_rate(self) -> Decimal | None:
        return self.rate(self.inventoried, self.valid)

    @property
    def evaluated_rate(self) -> Decimal | None:
        return self.rate(self.evaluated, self.valid)

    @property
    def tiered_rate(self) -> Decimal | None:
        return self.rate(self.tiered, self.valid)


@dataclass(frozen=True)
class InstitutionCoverage:
    uscc: str
    name: str | None  # None when the catalogue holds none of its valid patents
    figures: CoverageFigures


@dataclass(frozen=True)
class RegionCoverage:
    region_code: str | None  # None: the patents whose region is not known (at this level)
    figures: CoverageFigures
