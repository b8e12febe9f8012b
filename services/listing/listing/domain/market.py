"""Supply and demand listings (供需信息): patents offered for transfer or a negotiated
licence, and enterprises' technical needs. Published once, they reach every connected
platform; one that came from a platform carries it as its source."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from listing.domain.declaration import PROMOTIONAL_WORDS
from listing.domain.errors import (
    DemandBudgetRangeInverted,
    DemandDeadlinePassed,
    ListingPromotionalWording,
    SupplyListingNotPendingReview,
)


class SupplyKind(StrEnum):
    TRANSFER = "transfer"  # 转让
    LICENSE = "license"  # 许可 (negotiated, not open licence)


class ListingStatus(StrEnum):
    PUBLISHED = "published"
    # A supply listing by (or on a patent of) a party restricted by a credit record waits
    # for the operator's review: approved, it is published; rejected, it never is.
    PENDING_REVIEW = "pending_review"
    REJECTED = "rejected"


@dataclass(kw_only=True)
class Listing:
    """What supply listings and demands have alike: who published them, from which
    connected platform, and under which of its references."""

    id: str
    source_org_id: str
    source_org_name: str
    source_platform: str | None
    source_uscc: str | None = None
    external_reference: str | None
    status: ListingStatus = ListingStatus.PUBLISHED
    currency: str = "CNY"
    created_at: datetime


@dataclass(kw_only=True)
class SupplyListing(Listing):
    """A patent offered for transfer or a negotiated licence."""

    application_number: str
    kind: SupplyKind
    title: str
    description: str | None
    asking_price: Decimal | None
    ipc_codes: list[str]
    industry_codes: list[str]
    region_code: str | None
    patent_type: str | None
    contact: str
    # The credit record that held it for review, and the operator's reason for a rejection.
    review_record_id: str | None = None
    rejection_reason: str | None = None

    def hold_for_review(self, record_id: str) -> None:
        self.status = ListingStatus.PENDING_REVIEW
        self.review_record_id = record_id

    def approve(self) -> None:
        self._require_pending("approved")
        self.status = ListingStatus.PUBLISHED

    def reject(self, reason: str) -> None:
        self._require_pending("rejected")
        self.status = ListingStatus.REJECTED
        self.rejection_reason = reason

    def may_be_seen_by(self, org_id: str, *, operator: bool) -> bool:
        """A listing not published is its publisher's and the operator's only."""
        return self.status is ListingStatus.PUBLISHED or operator or self.source_org_id == org_id

    def _require_pending(self, verb: str) -> None:
        if self.status is not ListingStatus.PENDING_REVIEW:
            raise SupplyListingNotPendingReview(
                f"supply listing {self.id} is {self.status.value}: only a listing "
                f"pending review may be {verb}"
            )


@dataclass(kw_only=True)
class Demand(Listing):
    """An enterprise's technical need (技术需求)."""

    title: str
    description: str
    technical_field: str | None
    ipc_codes: list[str]
    industry_codes: list[str]
    budget_min: Decimal | None
    budget_max: Decimal | None
    region_code: str | None
    deadline: date
    contact: str


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
