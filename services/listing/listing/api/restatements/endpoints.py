"""Catalogue restatement endpoints: thin — parse, call the use case, shape the response."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, status

from listing.api.deps import Operator
from listing.api.restatements.schemas import RestatementJobOut
from listing.restatements import service
from listing.restatements.commands import RequestRestatement
from shared.http.dependencies import UnitOfWorkDep, get_runtime
from shared.http.routes import StrictRoute
from shared.runtime import ServiceRuntime

router = APIRouter(route_class=StrictRoute)

# The worker that does the job (listing.workers.patent_restatement).
WORKER = "patent-restatement"
RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


@router.post(
    "/patents/restatements",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RestatementJobOut,
    tags=["patents"],
    summary="目录重述 Restate the whole catalogue to the platform's services (operator)",
)
async def request_restatement(
    principal: Operator, uow: UnitOfWorkDep, runtime: RuntimeDep
) -> RestatementJobOut:
    """运营方请求将全部已登记专利的当前信息（权利人、法律状态）重新发布给平台内部服务，用于
    补全在其上线前登记的专利。

    Publish every catalogued patent's current facts (patentees, legal status, ...) once,
    as `cn.ipmarket.listing.patent.restated.v1` on the internal topic
    `ipmarket.listing.restatements.v1`: the platform's services that keep a view of the
    catalogue (license) learn the patents registered before they started. Connected
    platforms never receive these. Answers at once with the job; a worker goes through
    the catalogue in application-number order. Poll it with
    `GET /v1/patents/restatements/{job_id}`."""
    job = await service.request_restatement(uow, RequestRestatement(principal.org_id))
    await uow.commit()
    runtime.wake(WORKER)
    return RestatementJobOut.of(job)


@router.get(
    "/patents/restatements/{job_id}",
    response_model=RestatementJobOut,
    tags=["patents"],
    summary="目录重述进度 A restatement of the catalogue (operator)",
)
async def get_restatement_job(
    job_id: Annotated[UUID, Path(description="The job id the request answered.")],
    _: Operator,
    uow: UnitOfWorkDep,
) -> RestatementJobOut:
    """重述任务的状态与已发布数量。

    The job's state (`queued`, `running`, `done`) and how many patents it restated so
    far."""
    return RestatementJobOut.of(await service.restatement_job(uow, str(job_id)))
