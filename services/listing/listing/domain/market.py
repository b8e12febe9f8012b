"""Supply and demand listings (供需信息): patents offered for transfer or a negotiated
licence, and enterprises' technical needs. Published, they reach every connected platform;
one that came from a platform carries it as its source. Their publisher may update them
and close them; they close by themselves when their end date has passed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from listing.domain.declaration import PROMOTIONAL_WORDS
from listing.domain.errors import (
    DemandBudgetRangeInverted,
    DemandDeadlinePassed,
    ListingClosed,
    ListingEndDatePassed,
    ListingNotPublisher,
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
    # Withdrawn by its publisher or past its end date: kept, no longer open or visible
    # in search, and never changed again.
    CLOSED = "closed"


class ClosedReason(StrEnum):
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


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
    # Every change (update, close, review) bumps it: receivers keep the highest they saw.
    version: int = 1
    closed_reason: ClosedReason | None = None
    closed_at: datetime | None = None
    closed_note: str | None = None

    # The descriptive fields a publisher may change; the rest is who and what it is.
    UPDATABLE: ClassVar[tuple[str, ...]] = ()

    def require_publisher(self, org_id: str) -> None:
        if self.source_org_id != org_id:
            raise ListingNotPublisher(
                f"{self.id} was published by another organisation: only it may change it"
            )

    def revise(self, changes: Mapping[str, object], today: date) -> bool:
        """Replace the fields ``changes`` names; True when the listing is published (its
        update is announced). A closed listing is never changed."""
        self._require_open("updated")
        unknown = set(changes) - set(self.UPDATABLE)
        if unknown:
            raise ValueError(f"not updatable: {sorted(unknown)}")
        for name, value in changes.items():
            setattr(self, name, value)
        self._check(changed=set(changes), today=today)
        self.version += 1
        return self.status is ListingStatus.PUBLISHED

    def close(self, reason: ClosedReason, at: datetime, note: str | None = None) -> bool:
        """Close it; True when it was published (its close is announced: the platforms
        had it). One pending review or rejected closes quietly."""
        self._require_open("closed")
        announced = self.status is ListingStatus.PUBLISHED
        self.status = ListingStatus.CLOSED
        self.closed_reason = reason
        self.closed_at = at
        self.closed_note = note
        self.version += 1
        return announced

    def _check(self, *, changed: set[str], today: date) -> None:
        """The rules of publishing, on the fields as they now are."""

    def _require_open(self, verb: str) -> None:
        if self.status is ListingStatus.CLOSED:
            raise ListingClosed(
                f"{self.id} is closed ({self.closed_reason}): it can no longer be {verb}",
                state=self.status.value,
            )


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
    valid_until: date | None = None

    UPDATABLE = (
        "title",
        "description",
        "asking_price",
        "ipc_codes",
        "industry_codes",
        "region_code",
        "contact",
        "valid_until",
    )

    def _check(self, *, changed: set[str], today: date) -> None:
        check_wording(self.title, self.description)
        if "valid_until" in changed:
            check_end_date(self.valid_until, today)

    def hold_for_review(self, record_id: str) -> None:
        self.status = ListingStatus.PENDING_REVIEW
        self.review_record_id = record_id

    def approve(self) -> None:
        self._require_pending("approved")
        self.status = ListingStatus.PUBLISHED
        self.version += 1

    def reject(self, reason: str) -> None:
        self._require_pending("rejected")
        self.status = ListingStatus.REJECTED
        self.rejection_reason = reason
        self.version += 1

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

    UPDATABLE = (
        "title",
        "description",
        "technical_field",
        "ipc_codes",
        "industry_codes",
        "budget_min",
        "budget_max",
        "region_code",
        "deadline",
        "contact",
    )

    def _check(self, *, changed: set[str], today: date) -> None:
        check_wording(self.title, self.description)
        check_demand(
            # An unchanged deadline was checked when it was set; the sweep closes the
            # demand once it passes.
            deadline=self.deadline if "deadline" in changed else max(self.deadline, today),
            budget_min=self.budget_min,
            budget_max=self.budget_max,
            today=today,
        )


def check_end_date(end: date | None, today: date) -> None:
    if end is not None and end < today:
        raise ListingEndDatePassed(f"the end date {end} is already past (today is {today})")


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
