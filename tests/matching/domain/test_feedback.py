"""Feedback (domain/feedback.py): one id per enterprise and patent, positive answers,
sentiment and the bounded per-division affinity."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from matching.domain.errors import ProspectScoreOutOfRange
from matching.domain.feedback import (
    Feedback,
    answer_sentiment,
    division_affinities,
    feedback_id_for,
)
from shared.domain.terms import MarketEvaluation, WillImplement

YES, NO, UNDECIDED = WillImplement.YES, WillImplement.NO, WillImplement.UNDECIDED
POSITIVE, NEUTRAL, NEGATIVE = (
    MarketEvaluation.POSITIVE,
    MarketEvaluation.NEUTRAL,
    MarketEvaluation.NEGATIVE,
)


def _feedback(will: WillImplement, market: MarketEvaluation, prospect: int) -> Feedback:
    return Feedback(
        feedback_id=feedback_id_for("91440300MA5FXXXX01", "201710601862.3"),
        enterprise_uscc="91440300MA5FXXXX01",
        application_number="201710601862.3",
        push_id="p",
        campaign_id=None,
        will_implement=will,
        wants_cooperation=True,
        market_evaluation=market,
        prospect_score=prospect,
        improvement_needs="",
        comment="",
        recorded_at=datetime(2026, 12, 6, tzinfo=UTC),
    )


def test_the_feedback_id_is_the_pair_s() -> None:
    assert feedback_id_for("E1", "P1") == feedback_id_for("E1", "P1")
    assert feedback_id_for("E1", "P1") != feedback_id_for("E2", "P1")
    assert feedback_id_for("E1", "P1") != feedback_id_for("E1", "P2")


def test_positive_is_implementing_or_a_positive_market() -> None:
    assert _feedback(YES, NEGATIVE, 1).positive
    assert _feedback(NO, POSITIVE, 1).positive
    assert not _feedback(UNDECIDED, NEUTRAL, 5).positive


def test_a_prospect_score_outside_1_to_5_is_refused() -> None:
    with pytest.raises(ProspectScoreOutOfRange):
        _feedback(YES, POSITIVE, 6)


def test_sentiment_spans_minus_one_to_one() -> None:
    assert answer_sentiment(YES, POSITIVE, 5) == 1.0
    assert answer_sentiment(NO, NEGATIVE, 1) == -1.0
    assert answer_sentiment(UNDECIDED, NEUTRAL, 3) == 0.0


def test_affinity_per_division_bounded_and_damped() -> None:
    affinities = division_affinities(
        [
            (["C3841"], 1.0),
            (["C3842", "I6510"], 1.0),
            (["I6520"], -1.0),
        ]
    )
    assert affinities == {"C38": 2 / 3, "I65": 0.0}
    one = division_affinities([(["C3841"], 1.0)])
    assert one == {"C38": 0.5}
    many = division_affinities([(["C3841"], -1.0)] * 1000)
    assert -1.0 < many["C38"] < -0.99
