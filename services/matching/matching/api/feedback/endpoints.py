"""Enterprises' market evaluation (企业市场化评价) of the patents pushed to them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from matching.api.deps import Enterprise
from matching.api.feedback import schemas
from matching.api.pushes.endpoints import PushId, enterprise_uscc
from matching.feedback import service
from shared.http.dependencies import UnitOfWorkDep
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr

router = APIRouter(route_class=StrictRoute, tags=["feedback"])

NumberPath = Annotated[
    ApplicationNumberStr,
    Path(description="Application number, any common form (CN/ZL prefix, dot optional)."),
]


@router.put(
    "/inbox/{push_id}/feedback",
    response_model=schemas.FeedbackOut,
    summary="Evaluate a pushed patent (企业市场化评价)",
)
async def record_push_feedback(
    push_id: PushId, body: schemas.FeedbackIn, principal: Enterprise, uow: UnitOfWorkDep
) -> schemas.FeedbackOut:
    """Your evaluation of the patent this push brought: implementation intention,
    cooperation intention (产学研), market evaluation, a prospect score 1-5, improvement
    needs and a comment. One per patent: answering again replaces it (same
    `feedback_id`). Publishes `cn.ipmarket.matching.feedback.recorded.v1` without the
    texts; the patent's institution sees it in its tiering, and it re-weights what is
    pushed to you later. A push that reached another enterprise: 404 `push-unknown`."""
    uscc = enterprise_uscc(principal)
    feedback = await service.record_feedback(uow, body.to_command(principal, uscc, push_id=push_id))
    await uow.commit()
    return schemas.FeedbackOut.of(feedback)


@router.put(
    "/feedback/{application_number}",
    response_model=schemas.FeedbackOut,
    summary="Evaluate a pushed patent, addressed by its number",
)
async def record_patent_feedback(
    application_number: NumberPath,
    body: schemas.FeedbackIn,
    principal: Enterprise,
    uow: UnitOfWorkDep,
) -> schemas.FeedbackOut:
    """The same as `PUT /v1/inbox/{push_id}/feedback`, for a front end that knows the
    patent only; it answers the latest push of the patent to you. A patent never pushed
    to your enterprise: 409 `feedback-without-push`."""
    uscc = enterprise_uscc(principal)
    feedback = await service.record_feedback(
        uow, body.to_command(principal, uscc, application_number=application_number)
    )
    await uow.commit()
    return schemas.FeedbackOut.of(feedback)
