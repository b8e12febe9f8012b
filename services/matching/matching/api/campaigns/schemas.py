"""Bodies of matching campaigns (供需精准对接活动) and their reports."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from matching.campaigns.commands import LaunchCampaign
from matching.campaigns.service import CampaignReport
from matching.domain.campaign import CampaignReach, CampaignState
from shared.http.types import VisibleStr

IndustryPrefix = Annotated[str, Field(max_length=5, examples=["C38"])]
RegionPrefix = Annotated[str, Field(max_length=6, examples=["4403"])]


class CampaignIn(BaseModel):
    """An industry cluster and the tiers whose patents are pushed to it. The cluster:
    enterprises that consented to pushes, with an industry code under one of
    `industry_codes`, in one of `region_codes` (all regions when empty)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[VisibleStr, Field(max_length=200)] = Field(
        examples=["深圳市新能源电池产业专利供需对接"]
    )
    industry_codes: list[IndustryPrefix] = Field(
        min_length=1,
        max_length=50,
        description="GB/T 4754-2017 codes, by prefix: division C38, group C384, class C3841.",
        examples=[["C384"]],
    )
    region_codes: list[RegionPrefix] = Field(
        default_factory=list,
        max_length=50,
        description="GB/T 2260 codes by prefix: province 44, city 4403 or a full code.",
        examples=[["4403"]],
    )
    tiers: list[str] = Field(
        min_length=1, max_length=3, description="A, B and/or C.", examples=[["A", "B"]]
    )
    per_enterprise_limit: StrictInt = Field(
        ge=1, le=100, description="At most this many of the campaign's pushes per enterprise."
    )

    def to_command(self, operator_org_id: str) -> LaunchCampaign:
        return LaunchCampaign(
            name=self.name,
            industry_codes=tuple(self.industry_codes),
            region_codes=tuple(self.region_codes),
            tiers=tuple(self.tiers),
            per_enterprise_limit=self.per_enterprise_limit,
            operator_org_id=operator_org_id,
        )


class CountAndRate(BaseModel):
    count: int
    rate: float | None = Field(description="Of the campaign's pushes; null before any push.")


class CampaignOut(BaseModel):
    """The campaign and what it reached so far. Rates are of its pushes: opened,
    answered with feedback, answered positively (would implement, or a positive market
    evaluation)."""

    campaign_id: str
    name: str
    industry_codes: list[str]
    region_codes: list[str]
    tiers: list[str]
    per_enterprise_limit: int
    state: CampaignState
    launched_at: datetime
    completed_at: datetime | None
    cluster_size: int = Field(description="Enterprises in the cluster when it was launched.")
    enterprises_reached: int
    pushes: int
    opened: CountAndRate
    feedback: CountAndRate
    positive_feedback: CountAndRate

    @classmethod
    def of(cls, report: CampaignReport) -> CampaignOut:
        c, reach = report.campaign, report.reach
        return cls(
            campaign_id=c.campaign_id,
            name=c.name,
            industry_codes=list(c.industry_codes),
            region_codes=list(c.region_codes),
            tiers=list(c.tiers),
            per_enterprise_limit=c.per_enterprise_limit,
            state=c.state,
            launched_at=c.launched_at,
            completed_at=c.completed_at,
            cluster_size=c.enterprises,
            enterprises_reached=reach.enterprises_reached,
            pushes=reach.pushes,
            opened=_of(reach.opened, reach),
            feedback=_of(reach.feedback, reach),
            positive_feedback=_of(reach.positive_feedback, reach),
        )


def _of(count: int, reach: CampaignReach) -> CountAndRate:
    return CountAndRate(count=count, rate=CampaignReach.rate(count, reach.pushes))
