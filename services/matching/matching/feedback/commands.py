"""What the feedback use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass

from shared.domain.terms import MarketEvaluation, WillImplement


@dataclass(frozen=True)
class RecordFeedback:
    """An enterprise's market evaluation (企业市场化评价) of a patent pushed to it,
    addressed by the push (``push_id``) or by the patent (``application_number``)."""

    enterprise_uscc: str
    enterprise_org_id: str
    enterprise_name: str
    will_implement: WillImplement
    wants_cooperation: bool
    market_evaluation: MarketEvaluation
    prospect_score: int
    improvement_needs: str = ""
    comment: str = ""
    push_id: str | None = None
    application_number: str | None = None
