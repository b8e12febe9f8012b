"""Rows of ``campaigns`` <-> :class:`~matching.domain.campaign.Campaign`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matching.domain.campaign import Campaign, CampaignReach, CampaignState


def to_campaign(row: Mapping[Any, Any]) -> Campaign:
    return Campaign(
        campaign_id=row["campaign_id"],
        name=row["name"],
        industry_codes=tuple(row["industry_codes"]),
        region_codes=tuple(row["region_codes"]),
        tiers=tuple(row["tiers"]),
        per_enterprise_limit=row["per_enterprise_limit"],
        state=CampaignState(row["state"]),
        enterprises=row["enterprises"],
        launched_by_org_id=row["launched_by_org_id"],
        launched_at=row["launched_at"],
        completed_at=row["completed_at"],
    )


def campaign_values(campaign: Campaign) -> dict[str, Any]:
    return {
        "campaign_id": campaign.campaign_id,
        "name": campaign.name,
        "industry_codes": list(campaign.industry_codes),
        "region_codes": list(campaign.region_codes),
        "tiers": list(campaign.tiers),
        "per_enterprise_limit": campaign.per_enterprise_limit,
        "state": campaign.state.value,
        "enterprises": campaign.enterprises,
        "launched_by_org_id": campaign.launched_by_org_id,
        "launched_at": campaign.launched_at,
        "completed_at": campaign.completed_at,
    }


def to_reach(row: Mapping[Any, Any] | None) -> CampaignReach:
    if row is None:
        return CampaignReach(0, 0, 0, 0, 0)
    return CampaignReach(
        enterprises_reached=row["reached"],
        pushes=row["pushes"],
        opened=row["opened"],
        feedback=row["feedback"],
        positive_feedback=row["positive"],
    )
