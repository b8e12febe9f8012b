"""Events published by the matching service on ``ipmarket.matching.v1``.

Public like listing's and license's events (webhooks forwards them to subscribed
platforms): the patent, the enterprise as a business (name, USCC), scores, dates. What
an enterprise wrote (its improvement needs, its comments) stays inside matching.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from shared.domain.terms import MarketEvaluation, WillImplement
from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


class MatchPushed(EventData):
    """A patent matching found for an enterprise reached the enterprise's inbox."""

    event_type: ClassVar[str] = "cn.ipmarket.matching.match.pushed.v1"
    topic: ClassVar[str] = topics.MATCHING

    push_id: str = Field(max_length=36)
    application_number: str = Field(examples=["201710601862.3"])
    enterprise: OrgRef
    institution: OrgRef | None = Field(
        default=None, description="The patent's owning university or institute, if any."
    )
    score: float = Field(description="The match's score under ``weights_version``.")
    weights_version: str = Field(examples=["2026-12-v1"])
    industry_codes: list[str] = Field(description="The patent's GB/T 4754 codes.")
    campaign_id: str | None = Field(default=None, description="The campaign that pushed it.")
    pushed_at: datetime


class PushOpened(EventData):
    """The enterprise read a pushed patent for the first time."""

    event_type: ClassVar[str] = "cn.ipmarket.matching.push.opened.v1"
    topic: ClassVar[str] = topics.MATCHING

    push_id: str = Field(max_length=36)
    application_number: str
    enterprise: OrgRef
    campaign_id: str | None = None
    opened_at: datetime


class MatchFeedbackRecorded(EventData):
    """An enterprise answered about a patent matching proposed to it: whether it would
    implement it, wants to cooperate, and how it judges the market. A feedback recorded
    again under the same ``feedback_id`` replaces the earlier answer."""

    event_type: ClassVar[str] = "cn.ipmarket.matching.feedback.recorded.v1"
    topic: ClassVar[str] = topics.MATCHING

    feedback_id: str = Field(max_length=64)
    application_number: str = Field(examples=["201710601862.3"])
    enterprise: OrgRef
    will_implement: WillImplement
    wants_cooperation: bool
    market_evaluation: MarketEvaluation
    recorded_at: datetime
    prospect_score: int | None = Field(
        default=None, ge=1, le=5, description="The enterprise's view of the prospects, 1-5."
    )
    push_id: str | None = Field(default=None, description="The push the feedback answers.")
    campaign_id: str | None = None


class CampaignLaunched(EventData):
    """The operator launched a matching campaign (供需精准对接活动) for an industry
    cluster: the tiers' patents are pushed to the cluster's enterprises."""

    event_type: ClassVar[str] = "cn.ipmarket.matching.campaign.launched.v1"
    topic: ClassVar[str] = topics.MATCHING

    campaign_id: str = Field(max_length=36)
    name: str
    industry_codes: list[str]
    region_codes: list[str]
    tiers: list[str]
    enterprises: int = Field(description="Enterprises in the cluster when it was launched.")
    launched_at: datetime

    def partition_key(self) -> str:
        return self.campaign_id

    def subject(self) -> str | None:
        return self.campaign_id
