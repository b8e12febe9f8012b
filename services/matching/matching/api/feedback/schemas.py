"""Bodies of the enterprises' market evaluation (企业市场化评价)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from matching.domain.feedback import Feedback
from matching.feedback.commands import RecordFeedback
from shared.auth import Principal
from shared.domain.terms import MarketEvaluation, WillImplement
from shared.http.types import VisibleStr

Text = Annotated[VisibleStr, Field(max_length=2000)]


class FeedbackIn(BaseModel):
    """Your evaluation of a patent pushed to you. Recorded again, it replaces the
    earlier one. The texts stay with the platform: the published event carries the
    answers, never what you wrote."""

    model_config = ConfigDict(extra="forbid")

    will_implement: WillImplement = Field(description="Would you implement it (实施意向)?")
    wants_cooperation: StrictBool = Field(
        description="Do you want to cooperate with the patent's institution (产学研合作意向)?"
    )
    market_evaluation: MarketEvaluation = Field(description="How you judge its market.")
    prospect_score: StrictInt = Field(ge=1, le=5, description="Its prospects, 1 (poor) to 5.")
    improvement_needs: Text | None = Field(
        default=None,
        description="Technical improvement it needs (技术改进需求).",
        examples=["需提高低温下的循环寿命"],
    )
    comment: Text | None = Field(default=None)

    def to_command(
        self,
        principal: Principal,
        enterprise_uscc: str,
        *,
        push_id: str | None = None,
        application_number: str | None = None,
    ) -> RecordFeedback:
        return RecordFeedback(
            enterprise_uscc=enterprise_uscc,
            enterprise_org_id=principal.org_id,
            enterprise_name=principal.org_name,
            will_implement=self.will_implement,
            wants_cooperation=self.wants_cooperation,
            market_evaluation=self.market_evaluation,
            prospect_score=self.prospect_score,
            improvement_needs=self.improvement_needs or "",
            comment=self.comment or "",
            push_id=push_id,
            application_number=application_number,
        )


class FeedbackOut(BaseModel):
    feedback_id: str = Field(description="The same for every answer of yours on the patent.")
    push_id: str
    application_number: str
    will_implement: WillImplement
    wants_cooperation: bool
    market_evaluation: MarketEvaluation
    prospect_score: int
    improvement_needs: str
    comment: str
    recorded_at: datetime

    @classmethod
    def of(cls, feedback: Feedback) -> FeedbackOut:
        return cls(**{n: getattr(feedback, n) for n in cls.model_fields})
