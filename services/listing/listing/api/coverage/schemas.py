"""Coverage figures as the API shows them (JSON) and exports them (CSV columns)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from listing.domain.coverage import CoverageFigures, InstitutionCoverage, RegionCoverage

FIGURE_COLUMNS = (
    "valid",
    "inventoried",
    "evaluated",
    "tiered",
    "tier_a",
    "tier_b",
    "tier_c",
    "tier_d",
    "inventoried_rate",
    "evaluated_rate",
    "tiered_rate",
)


class CoverageOut(BaseModel):
    """Of the valid patents held (universities and research institutes), how many are
    inventoried, evaluated and tiered, and per tier. Rates are fractions of `valid` to
    four decimals, absent when `valid` is 0."""

    valid: int = Field(description="Valid patents in the catalogue.", examples=[1200])
    inventoried: int = Field(description="Of them, with an inventory record.", examples=[900])
    evaluated: int = Field(description="Of them, with any evaluation recorded.", examples=[600])
    tiered: int = Field(description="Of them, with a tier in force.", examples=[500])
    tier_a: int = Field(description="Tier A: ready for fast transformation.")
    tier_b: int = Field(description="Tier B: promote.")
    tier_c: int = Field(description="Tier C: needs further development.")
    tier_d: int = Field(description="Tier D: no realistic market.")
    inventoried_rate: Decimal | None = Field(examples=["0.7500"])
    evaluated_rate: Decimal | None = Field(examples=["0.5000"])
    tiered_rate: Decimal | None = Field(examples=["0.4167"])

    @classmethod
    def figures(cls, f: CoverageFigures) -> dict[str, Any]:
        return {
            "valid": f.valid,
            "inventoried": f.inventoried,
            "evaluated": f.evaluated,
            "tiered": f.tiered,
            "tier_a": f.tier_a,
            "tier_b": f.tier_b,
            "tier_c": f.tier_c,
            "tier_d": f.tier_d,
            "inventoried_rate": f.inventoried_rate,
            "evaluated_rate": f.evaluated_rate,
            "tiered_rate": f.tiered_rate,
        }

    @classmethod
    def of(cls, f: CoverageFigures) -> CoverageOut:
        return cls(**cls.figures(f))


class InstitutionCoverageOut(CoverageOut):
    """One institution's coverage: a co-owned patent counts for each co-owner."""

    uscc: str = Field(examples=["12100000400000624D"])
    name: str | None = Field(description="As its patents name it.", examples=["清华大学"])

    @classmethod
    def of_institution(cls, c: InstitutionCoverage) -> InstitutionCoverageOut:
        return cls(uscc=c.uscc, name=c.name, **cls.figures(c.figures))


class RegionCoverageOut(CoverageOut):
    """One region's coverage: each patent counted once, in its own region."""

    region_code: str | None = Field(
        description="GB/T 2260 province (`440000`) or city (`440300`); absent for patents "
        "whose region is not known at this level.",
        examples=["440000"],
    )

    @classmethod
    def of_region(cls, c: RegionCoverage) -> RegionCoverageOut:
        return cls(region_code=c.region_code, **cls.figures(c.figures))


def figure_cells(f: CoverageFigures) -> list[Any]:
    values = CoverageOut.figures(f)
    return [values[c] for c in FIGURE_COLUMNS]
