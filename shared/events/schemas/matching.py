"""Events published by the matching service on ``ipmarket.matching.v1``."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from shared.domain.terms import MarketEvaluation, WillImplement
from shared.events import topics
from shared.events.schemas.base import EventData, OrgRef


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
