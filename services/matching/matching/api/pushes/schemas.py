"""Bodies of the inbox: each push with its patent, its explanation and the feedback."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from matching.api.feedback.schemas import FeedbackOut
from matching.api.schemas import IndustryLinkOut
from matching.domain.inbox import ExplanationBasis
from matching.pushes.commands import InboxPosition
from matching.pushes.queries import InboxEntry
from shared.http.pagination import CursorId, Position
from shared.http.types import Instant


class InboxCursor(Position):
    """After the push with this score, push time and id (the inbox's order)."""

    s: float
    t: Instant
    id: CursorId

    @property
    def position(self) -> InboxPosition:
        return InboxPosition(score=self.s, pushed_at=self.t, push_id=self.id)


class ExplanationOut(BaseModel):
    """Why the patent was pushed, as the match stood then. ``basis`` `industry`: a
    campaign pushed a patent of its tiers the engine had not scored for you; the
    industry links alone explain it and the score is 0."""

    basis: ExplanationBasis
    factors: dict[str, float] = Field(
        description="Each factor's contribution to the score (they sum to it).",
        examples=[{"industry": 0.2, "text": 0.45, "region": 0.05, "tier": 0.1}],
    )
    matched_terms: list[str] = Field(examples=[["锂离子电池", "电池管理"]])
    industry_links: list[IndustryLinkOut]
    weights_version: str
    via_need_id: str | None = Field(
        default=None, description="The technical need of yours that the patent answered."
    )


class PushedPatentOut(BaseModel):
    """The patent's facts now."""

    application_number: str = Field(examples=["201710601862.3"])
    title: str
    tier: str | None = Field(description="A-D, as its institution tiered it.")
    institution_name: str | None
    industry_codes: list[str]
    declared: bool = Field(description="An open licence (开放许可) is in force.")
    listed: bool = Field(description="A supply listing for sale is published.")


class InboxItemOut(BaseModel):
    push_id: str
    patent: PushedPatentOut
    score: float
    explanation: ExplanationOut
    weights_version: str
    campaign_id: str | None
    pushed_at: datetime
    opened_at: datetime | None = Field(description="When you first read it; null: unread.")
    feedback: FeedbackOut | None = Field(description="Your market evaluation, if given.")

    @classmethod
    def of(cls, entry: InboxEntry) -> InboxItemOut:
        push, patent, explanation = entry.push, entry.patent, entry.push.explanation
        return cls(
            push_id=push.push_id,
            patent=PushedPatentOut(
                application_number=patent.application_number,
                title=patent.title,
                tier=patent.tier,
                institution_name=patent.institution_name,
                industry_codes=list(patent.industry_codes),
                declared=patent.declared,
                listed=patent.listed,
            ),
            score=push.score,
            explanation=ExplanationOut(
                basis=explanation.basis,
                factors=dict(explanation.factors),
                matched_terms=list(explanation.matched_terms),
                industry_links=[IndustryLinkOut.of(link) for link in explanation.industry_links],
                weights_version=explanation.weights_version,
                via_need_id=explanation.via_need_id,
            ),
            weights_version=push.weights_version,
            campaign_id=push.campaign_id,
            pushed_at=push.pushed_at,
            opened_at=push.opened_at,
            feedback=None if entry.feedback is None else FeedbackOut.of(entry.feedback),
        )
