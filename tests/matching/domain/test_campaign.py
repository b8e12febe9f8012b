"""Campaign rules (domain/campaign.py): codes, tiers, cluster membership, the empty
cluster refused, rates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from matching.domain.campaign import (
    Campaign,
    CampaignReach,
    CampaignState,
    check_industry_prefixes,
    check_region_prefixes,
    check_tiers,
    in_cluster,
)
from matching.domain.errors import (
    CampaignClusterEmpty,
    CampaignIndustryCode,
    CampaignRegionCode,
    CampaignTier,
)

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def test_codes_and_tiers_are_checked() -> None:
    assert check_industry_prefixes(["C38", "C3841", "C38"]) == ("C38", "C3841")
    assert check_region_prefixes(["44", "4403", "440305"]) == ("44", "4403", "440305")
    assert check_tiers(["B", "A"]) == ("A", "B")
    with pytest.raises(CampaignIndustryCode):
        check_industry_prefixes(["38"])
    with pytest.raises(CampaignRegionCode):
        check_region_prefixes(["440"])
    with pytest.raises(CampaignTier):
        check_tiers(["A", "D"])


def test_the_cluster_needs_consent_an_industry_and_a_region() -> None:
    def member(consent: bool, codes: tuple[str, ...], region: str) -> bool:
        return in_cluster(
            ("C38",), ("4403",), push_consent=consent, industry_codes=codes, region_code=region
        )

    assert member(True, ("C3841",), "440305")
    assert not member(False, ("C3841",), "440305")
    assert not member(True, ("C3990",), "440305")
    assert not member(True, ("C3841",), "440105")
    assert in_cluster(
        ("C38",), (), push_consent=True, industry_codes=("C38",), region_code="110101"
    )


def test_an_empty_cluster_is_refused() -> None:
    values = {
        "name": "电池对接",
        "industry_codes": ("C38",),
        "region_codes": (),
        "tiers": ("A",),
        "per_enterprise_limit": 3,
        "launched_by_org_id": "operator",
        "now": NOW,
    }
    with pytest.raises(CampaignClusterEmpty):
        Campaign.launch(cluster_size=0, **values)  # type: ignore[arg-type]
    campaign = Campaign.launch(cluster_size=2, **values)  # type: ignore[arg-type]
    assert campaign.state is CampaignState.ACTIVE
    campaign.complete(NOW)
    assert campaign.state is CampaignState.COMPLETED
    assert campaign.completed_at == NOW


def test_rates_are_of_the_pushes() -> None:
    assert CampaignReach.rate(1, 4) == 0.25
    assert CampaignReach.rate(0, 0) is None
