"""The operations API every service serves under ``/v1/operations``: its consumer groups'
dead letters, counted and re-driven (``shared.messaging.dead_letters``). Operator only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import require
from shared.http.problems import PROBLEM_JSON, Problem
from shared.http.routes import StrictRoute
from shared.messaging.dead_letters import DeadLetterDesk

Operator = Annotated[Principal, Depends(require(OrgType.OPERATOR, scope=Scope.OPERATE))]


def get_dead_letters(request: Request) -> DeadLetterDesk:
    desk: DeadLetterDesk = request.app.state.dead_letters
    return desk


DeadLettersDep = Annotated[DeadLetterDesk, Depends(get_dead_letters)]


class DeadLetterGroup(BaseModel):
    group: str = Field(description="The consumer group, as this service runs it.")
    topic: str = Field(description="Its dead-letter topic, `ipmarket.dlq.<group>.v1`.")
    dead_letters: int = Field(
        description="Records ever parked in the dead-letter topic (its partitions' end "
        "offsets), re-driven or not."
    )
    awaiting_redrive: int = Field(
        description="Of those, the ones not re-driven yet: what the re-drive button would "
        "republish now."
    )


class DeadLetters(BaseModel):
    groups: list[DeadLetterGroup] = Field(
        description="One entry per consumer group of this service (none for a service "
        "that consumes no topic), in the order the service declares them."
    )


class RedriveResult(BaseModel):
    redriven: int = Field(description="Dead letters republished by this call.")
    by_topic: dict[str, int] = Field(
        description="How many went back to each original topic (topics with none are left out)."
    )


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": description}


BROKER_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: _problem(
        "`broker-unavailable`: the message broker did not answer; `Retry-After` says when "
        "to ask again. Nothing was counted; a re-drive keeps what it did before the broker "
        "went away and carries on from there next time."
    )
}

router = APIRouter(prefix="/operations", tags=["operations"], route_class=StrictRoute)


@router.get(
    "/dead-letters",
    response_model=DeadLetters,
    summary="死信统计 Dead letters of this service's consumer groups",
    responses=BROKER_UNAVAILABLE,
)
async def dead_letters(_operator: Operator, desk: DeadLettersDep) -> DeadLetters:
    """死信统计：本服务各消费组未能处理的事件数及待重投数。

    For each consumer group this service runs, how many events it parked in its
    dead-letter topic (events it could not read or handle after its retries) and how many
    of them await re-driving. Read from the broker on every call; nothing is cached.

    A console shows `awaiting_redrive` per group and offers the re-drive button while it
    is above zero. Operator only (`ipmarket:operate`)."""
    counts = await desk.counts()
    return DeadLetters(
        groups=[
            DeadLetterGroup(
                group=c.group,
                topic=c.topic,
                dead_letters=c.dead_letters,
                awaiting_redrive=c.awaiting_redrive,
            )
            for c in counts
        ]
    )


@router.post(
    "/dead-letters/redrive",
    response_model=RedriveResult,
    summary="死信重投 Re-drive the dead letters (after the fix is deployed)",
    responses={
        **BROKER_UNAVAILABLE,
        409: _problem(
            "`redrive-in-progress`: another caller has been re-driving the same group's "
            "dead letters for longer than this call waits for it."
        ),
    },
)
async def redrive_dead_letters(
    _operator: Operator,
    desk: DeadLettersDep,
    group: Annotated[
        str | None,
        Query(
            max_length=255,
            description="Only this consumer group (one of the `group` values the GET "
            "lists); every group of the service when left out. Another name: 422.",
        ),
    ] = None,
) -> RedriveResult:
    """死信重投：修复部署后，把尚未重投的死信发回原主题，由原消费组重新处理。

    Republishes every dead letter not re-driven yet to the topic it came from, with its
    original key and headers. The group that parked it handles it again (do this once
    the fix is deployed: a record that fails again is parked again); other groups of
    that topic skip it, having handled it already. Each dead letter is re-driven once:
    concurrent calls, from this or another instance of the service, take turns, and the
    later one finds nothing left (`redriven: 0`).

    Answers when the records are republished, before they are handled: the GET shows
    `awaiting_redrive` at 0 at once, the effects follow as the consumers catch up.
    Operator only (`ipmarket:operate`)."""
    report = await desk.redrive(group)
    return RedriveResult(redriven=report.redriven, by_topic=report.by_topic)
