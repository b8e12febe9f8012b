"""Enterprises' market evaluation (企业市场化评价) of the patents pushed to them, and how
it re-weights what they are pushed later.

An enterprise answers once per patent: answering again replaces the earlier answer
under the same ``feedback_id``, so listing's tiering, which keys feedback by that id,
counts each enterprise's view of a patent once.

Affinity: each answer has a sentiment in [-1, 1], the mean of three votes — will
implement (yes +1, undecided 0, no -1), market evaluation (positive +1, neutral 0,
negative -1) and the prospect score mapped from 1..5 onto -1..+1 (``(score - 3) / 2``).
An enterprise's affinity for a GB/T 4754 division (``C38``) is the sum of the sentiments
of its answers on patents of that division divided by their number plus one:
``sum(sentiment) / (answers + 1)``. The added one keeps a single answer from speaking
with full weight (one enthusiastic answer gives 0.5) and keeps the affinity strictly
inside (-1, 1); a patent with codes in two divisions counts for both.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from matching.domain.errors import ProspectScoreOutOfRange
from shared.domain.terms import MarketEvaluation, WillImplement

# Any fixed namespace: a feedback id is a function of the enterprise and the patent.
_FEEDBACK_NAMESPACE = uuid.UUID("9a4f0c1e-2b7d-5e83-a6c1-17f0d3b2c417")
PROSPECT_SCORES = range(1, 6)
# Answers' weight against the neutral prior of one answer of sentiment 0.
AFFINITY_PRIOR = 1.0

_IMPLEMENT_VOTES = {WillImplement.YES: 1.0, WillImplement.UNDECIDED: 0.0, WillImplement.NO: -1.0}
_MARKET_VOTES = {
    MarketEvaluation.POSITIVE: 1.0,
    MarketEvaluation.NEUTRAL: 0.0,
    MarketEvaluation.NEGATIVE: -1.0,
}


def feedback_id_for(enterprise_uscc: str, application_number: str) -> str:
    """The one feedback id of an enterprise's answers about a patent."""
    return str(uuid.uuid5(_FEEDBACK_NAMESPACE, f"{enterprise_uscc}:{application_number}"))


@dataclass
class Feedback:
    """One enterprise's answer about one pushed patent. The texts (technical improvement
    needs 技术改进需求, comment) stay inside matching: they are never in an event."""

    feedback_id: str
    enterprise_uscc: str
    application_number: str
    push_id: str
    campaign_id: str | None
    will_implement: WillImplement
    wants_cooperation: bool
    market_evaluation: MarketEvaluation
    prospect_score: int
    improvement_needs: str
    comment: str
    recorded_at: datetime

    def __post_init__(self) -> None:
        if self.prospect_score not in PROSPECT_SCORES:
            raise ProspectScoreOutOfRange(
                f"prospect_score: {self.prospect_score} is not between 1 and 5",
                field="prospect_score",
            )

    @property
    def positive(self) -> bool:
        """Counts as positive in campaign reports and outcomes: the enterprise would
        implement the patent, or judges its market positive."""
        return (
            self.will_implement is WillImplement.YES
            or self.market_evaluation is MarketEvaluation.POSITIVE
        )

    @property
    def sentiment(self) -> float:
        return answer_sentiment(self.will_implement, self.market_evaluation, self.prospect_score)


def answer_sentiment(
    will_implement: WillImplement, market_evaluation: MarketEvaluation, prospect_score: int
) -> float:
    """An answer's sentiment in [-1, 1] (the module's docstring gives the votes)."""
    prospect = (prospect_score - 3) / 2
    return (_IMPLEMENT_VOTES[will_implement] + _MARKET_VOTES[market_evaluation] + prospect) / 3


def division_affinities(answers: Iterable[tuple[Sequence[str], float]]) -> dict[str, float]:
    """Per GB/T 4754 division, ``sum(sentiment) / (answers + 1)`` over the answers (each
    the answered patent's industry codes and the answer's sentiment): in (-1, 1)."""
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for codes, sentiment in answers:
        for division in {code[:3] for code in codes if len(code) >= 3}:
            sums[division] = sums.get(division, 0.0) + sentiment
            counts[division] = counts.get(division, 0) + 1
    return {d: sums[d] / (counts[d] + AFFINITY_PRIOR) for d in sorted(sums)}
