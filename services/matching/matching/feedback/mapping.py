"""Rows of ``feedback`` <-> :class:`~matching.domain.feedback.Feedback`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matching.domain.feedback import Feedback
from shared.domain.terms import MarketEvaluation, WillImplement


def to_feedback(row: Mapping[Any, Any], prefix: str = "") -> Feedback:
    """The feedback in ``row``, whose columns may carry ``prefix`` (a joined row)."""
    return Feedback(
        feedback_id=row[f"{prefix}feedback_id"],
        enterprise_uscc=row[f"{prefix}enterprise_uscc"],
        application_number=row[f"{prefix}application_number"],
        push_id=row[f"{prefix}push_id"],
        campaign_id=row[f"{prefix}campaign_id"],
        will_implement=WillImplement(row[f"{prefix}will_implement"]),
        wants_cooperation=row[f"{prefix}wants_cooperation"],
        market_evaluation=MarketEvaluation(row[f"{prefix}market_evaluation"]),
        prospect_score=row[f"{prefix}prospect_score"],
        improvement_needs=row[f"{prefix}improvement_needs"],
        comment=row[f"{prefix}comment"],
        recorded_at=row[f"{prefix}recorded_at"],
    )


def feedback_values(feedback: Feedback) -> dict[str, Any]:
    return {
        "feedback_id": feedback.feedback_id,
        "enterprise_uscc": feedback.enterprise_uscc,
        "application_number": feedback.application_number,
        "push_id": feedback.push_id,
        "campaign_id": feedback.campaign_id,
        "will_implement": feedback.will_implement.value,
        "wants_cooperation": feedback.wants_cooperation,
        "market_evaluation": feedback.market_evaluation.value,
        "prospect_score": feedback.prospect_score,
        "improvement_needs": feedback.improvement_needs,
        "comment": feedback.comment,
        "recorded_at": feedback.recorded_at,
    }
