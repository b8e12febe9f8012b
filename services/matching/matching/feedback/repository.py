"""Enterprises' feedback, loaded and saved as domain objects, and what it says about
the industries each enterprise wants (its affinities, which re-weight later pushes)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.feedback import Feedback, answer_sentiment, division_affinities
from matching.feedback.mapping import feedback_values
from matching.models import FeedbackRecord
from shared.domain.terms import MarketEvaluation, WillImplement

_ANSWERS = text(
    "SELECT p.industry_codes, f.will_implement, f.market_evaluation, f.prospect_score"
    " FROM feedback f JOIN patents p ON p.application_number = f.application_number"
    " WHERE f.enterprise_uscc = :uscc"
)
_ANSWERS_OF_MANY = text(
    "SELECT f.enterprise_uscc, p.industry_codes, f.will_implement, f.market_evaluation,"
    " f.prospect_score"
    " FROM feedback f JOIN patents p ON p.application_number = f.application_number"
    " WHERE f.enterprise_uscc = ANY(:usccs)"
)


class FeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, feedback: Feedback) -> None:
        """Insert the enterprise's answer about the patent, or replace the earlier one."""
        values = feedback_values(feedback)
        statement = insert(FeedbackRecord).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["feedback_id"],
                set_={k: statement.excluded[k] for k in values if k != "feedback_id"},
            )
        )

    async def affinities(self, enterprise_uscc: str) -> dict[str, float]:
        """The enterprise's affinity per GB/T 4754 division (``C38``) from its answers,
        each in (-1, 1) (``matching.domain.feedback`` gives the formula): the matcher
        hands it to the engine so that later pushes lean towards what it welcomed."""
        rows = await self.session.execute(_ANSWERS, {"uscc": enterprise_uscc})
        return division_affinities(
            (
                codes,
                answer_sentiment(WillImplement(will), MarketEvaluation(market), prospect),
            )
            for codes, will, market, prospect in rows
        )

    async def affinities_of_many(self, usccs: list[str]) -> dict[str, dict[str, float]]:
        """:meth:`affinities` of several enterprises at once (those with any answer)."""
        answers: dict[str, list[tuple[list[str], float]]] = {}
        rows = await self.session.execute(_ANSWERS_OF_MANY, {"usccs": usccs})
        for uscc, codes, will, market, prospect in rows:
            sentiment = answer_sentiment(WillImplement(will), MarketEvaluation(market), prospect)
            answers.setdefault(uscc, []).append((codes, sentiment))
        return {uscc: division_affinities(given) for uscc, given in answers.items()}
