"""Matches endpoints: the operator's full re-match, and a patent's matches with their
explanations for those who may read them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from matching.api.deps import Caller, Operator, Oversight
from matching.api.matches import schemas
from matching.matches import service
from matching.matches.commands import RequestRematch
from matching.workers import REMATCHER
from shared.http.dependencies import UnitOfWorkDep, get_runtime
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr
from shared.runtime import ServiceRuntime

router = APIRouter(route_class=StrictRoute, tags=["matches"])

RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]
JobId = Annotated[str, Path(min_length=1, max_length=36, description="The re-match job's id.")]


@router.post(
    "/rematch-jobs",
    status_code=202,
    response_model=schemas.RematchJobOut,
    summary="Match every patent again (operator)",
)
async def request_rematch(
    principal: Operator, uow: UnitOfWorkDep, runtime: RuntimeDep, response: Response
) -> schemas.RematchJobOut:
    """Score every matchable patent again against every enterprise that accepts pushes
    and every open technical need, with the text statistics built afresh (after a bulk
    import of profiles, or a new weights version). Answers 202 with the job; follow
    ``Location``. One re-match runs at a time: 409 while another is queued or running."""
    job = await service.request_rematch(uow, RequestRematch(requested_by_org_id=principal.org_id))
    await uow.commit()
    runtime.wake(REMATCHER)
    response.headers["Location"] = f"/v1/rematch-jobs/{job.job_id}"
    return schemas.RematchJobOut.of(job)


@router.get(
    "/rematch-jobs/{job_id}",
    response_model=schemas.RematchJobOut,
    summary="A re-match's progress",
)
async def get_rematch(job_id: JobId, _: Oversight, uow: UnitOfWorkDep) -> schemas.RematchJobOut:
    """Where the re-match is: patents done of the total, matches written."""
    return schemas.RematchJobOut.of(await service.get_rematch(uow, job_id))


@router.get(
    "/patents/{application_number}/matches",
    response_model=schemas.PatentMatchesOut,
    summary="The enterprises a patent matches, and why",
)
async def patent_matches(
    application_number: Annotated[ApplicationNumberStr, Path(description="The patent.")],
    principal: Caller,
    uow: UnitOfWorkDep,
) -> schemas.PatentMatchesOut:
    """The patent's best enterprises (and the enterprises whose technical needs it
    answers), best first, each with its score, every factor's contribution, the terms
    both texts share, which IPC group led to which industry class and which of the
    enterprise's codes it met, and the weights version. Read by the patent's owners,
    the operator and regulators."""
    rows = await service.patent_matches(
        uow, application_number, reader_type=principal.org_type, reader_uscc=principal.uscc
    )
    return schemas.PatentMatchesOut(
        application_number=application_number,
        matches=[schemas.PatentMatchOut.of(row) for row in rows],
    )
