"""The lifecycle rules of supply listings and demands, without infrastructure."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from listing.domain.errors import (
    DemandBudgetRangeInverted,
    ListingClosed,
    ListingEndDatePassed,
    ListingNotPublisher,
)
from listing.domain.market import ClosedReason, Demand, ListingStatus, SupplyKind, SupplyListing

pytestmark = pytest.mark.unit

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def supply(**overrides: object) -> SupplyListing:
    values: dict[str, object] = {
        "id": "s-1",
        "source_org_id": "org-1",
        "source_org_name": "浙江大学",
        "source_platform": None,
        "external_reference": None,
        "created_at": NOW,
        "application_number": "201710601862.3",
        "kind": SupplyKind.TRANSFER,
        "title": "专利转让",
        "description": None,
        "asking_price": None,
        "ipc_codes": [],
        "industry_codes": [],
        "region_code": None,
        "patent_type": "invention",
        "contact": "王老师",
        **overrides,
    }
    return SupplyListing(**values)  # type: ignore[arg-type]


def demand() -> Demand:
    return Demand(
        id="d-1",
        source_org_id="org-1",
        source_org_name="新能储能",
        source_platform=None,
        external_reference=None,
        created_at=NOW,
        title="热管理需求",
        description="寻求方案",
        technical_field=None,
        ipc_codes=[],
        industry_codes=[],
        budget_min=Decimal(1),
        budget_max=Decimal(5),
        region_code=None,
        deadline=date(2026, 12, 6),
        contact="张工",
    )


def test_a_published_listing_announces_its_update_and_its_close() -> None:
    listing = supply()
    assert listing.revise({"asking_price": Decimal(5)}, TODAY) is True
    assert listing.close(ClosedReason.WITHDRAWN, NOW, "已转让") is True
    assert (listing.status, listing.version, listing.closed_note) == (
        ListingStatus.CLOSED,
        3,
        "已转让",
    )
    with pytest.raises(ListingClosed):
        listing.revise({"title": "x"}, TODAY)
    with pytest.raises(ListingClosed):
        listing.close(ClosedReason.EXPIRED, NOW)


def test_a_listing_pending_review_or_rejected_changes_and_closes_quietly() -> None:
    held = supply()
    held.hold_for_review("record-1")
    assert held.revise({"title": "新标题"}, TODAY) is False
    assert held.close(ClosedReason.WITHDRAWN, NOW) is False
    rejected = supply()
    rejected.hold_for_review("record-1")
    rejected.reject("权属存疑")
    assert rejected.revise({"contact": "李老师"}, TODAY) is False
    assert rejected.close(ClosedReason.EXPIRED, NOW) is False


def test_changes_keep_the_rules_of_publishing() -> None:
    with pytest.raises(ListingEndDatePassed):
        supply().revise({"valid_until": date(2026, 12, 6)}, TODAY)
    assert supply().revise({"valid_until": TODAY}, TODAY)
    with pytest.raises(ListingNotPublisher):
        supply().require_publisher("org-2")
    # A deadline that passed yesterday is the sweep's to close; an update that does not
    # move it is judged on its budget alone.
    need = demand()
    assert need.revise({"contact": "李工"}, TODAY)
    with pytest.raises(DemandBudgetRangeInverted):
        demand().revise({"budget_min": Decimal(9)}, TODAY)
