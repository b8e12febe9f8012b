"""Feedback's use case: an enterprise's market evaluation of a patent pushed to it."""

from __future__ import annotations

from matching.domain.errors import FeedbackWithoutPush, push_unknown
from matching.domain.feedback import Feedback, feedback_id_for
from matching.domain.patent import MatchSubject
from matching.feedback.commands import RecordFeedback
from matching.feedback.repository import FeedbackRepository
from matching.pushes.repository import PushRepository
from matching.repository import MatchRequests
from shared.db.uow import UnitOfWork
from shared.events.schemas import MatchFeedbackRecorded, OrgRef


async def record_feedback(uow: UnitOfWork, command: RecordFeedback) -> Feedback:
    """Record (or replace) the enterprise's answer about a patent pushed to it and
    publish ``MatchFeedbackRecorded`` without its texts. Addressed by a push that did not
    reach the enterprise: unknown (404); by a patent never pushed to it: 409."""
    pushes = PushRepository(uow.session)
    if command.push_id is not None:
        push = await pushes.get(command.push_id, command.enterprise_uscc)
        if push is None:
            raise push_unknown(command.push_id)
    else:
        assert command.application_number is not None
        push = await pushes.latest_of_patent(command.enterprise_uscc, command.application_number)
        if push is None:
            raise FeedbackWithoutPush(
                f"application_number: no push of {command.application_number} reached your "
                "organisation; feedback answers a patent matching pushed to you",
                application_number=command.application_number,
            )
    feedback = Feedback(
        feedback_id=feedback_id_for(command.enterprise_uscc, push.application_number),
        enterprise_uscc=command.enterprise_uscc,
        application_number=push.application_number,
        push_id=push.push_id,
        campaign_id=push.campaign_id,
        will_implement=command.will_implement,
        wants_cooperation=command.wants_cooperation,
        market_evaluation=command.market_evaluation,
        prospect_score=command.prospect_score,
        improvement_needs=command.improvement_needs,
        comment=command.comment,
        recorded_at=uow.clock.now(),
    )
    await FeedbackRepository(uow.session).save(feedback)
    # Its affinities changed: the matcher scores the enterprise's matches again with them.
    await MatchRequests(uow.session).ask(
        MatchSubject.ENTERPRISE, command.enterprise_uscc, uow.clock.now()
    )
    uow.emit(
        MatchFeedbackRecorded(
            feedback_id=feedback.feedback_id,
            application_number=feedback.application_number,
            enterprise=OrgRef(
                org_id=command.enterprise_org_id,
                name=command.enterprise_name,
                uscc=command.enterprise_uscc,
            ),
            will_implement=feedback.will_implement,
            wants_cooperation=feedback.wants_cooperation,
            market_evaluation=feedback.market_evaluation,
            recorded_at=feedback.recorded_at,
            prospect_score=feedback.prospect_score,
            push_id=feedback.push_id,
            campaign_id=feedback.campaign_id,
        )
    )
    return feedback
