"""Supply and demand listings (供需信息): patents offered for transfer or a negotiated
licence, and enterprises' technical needs. Published once, they reach every connected
platform; one that came from a platform carries it as its source."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum

from listing.domain.declaration import PROMOTIONAL_WORDS
from listing.domain.errors import (
    DemandBudgetRangeInverted,
    DemandDeadlinePassed,
    ListingPromotionalWording,
)


class SupplyKind(StrEnum):
    TRANSFER = "transfer"  # 转让
    LICENSE = "license"  # 许可 (negotiated, not open licence)


def check_wording(*texts: str | None) -> None:
    """Listings, like declarations, state facts: no promotional superlatives."""
    found = _promotional(t for t in texts if t)
    if found:
        raise ListingPromotionalWording(
            f"remove promotional wording: {'、'.join(found)}", words=found
        )


def check_demand(
    *, deadline: date, budget_min: Decimal | None, budget_max: Decimal | None, today: date
) -> None:
    if deadline < today:
        raise DemandDeadlinePassed(f"the deadline {deadline} is already past (today is {today})")
    if budget_min is not None and budget_max is not None and budget_min > budget_max:
        raise DemandBudgetRangeInverted(
            f"budget_min {budget_min} is more than budget_max {budget_max}"
        )


def _promotional(texts: Iterable[str]) -> list[str]:
    joined = " ".join(texts)
    return [w for w in PROMOTIONAL_WORDS if w in joined]
