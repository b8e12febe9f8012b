"""Industry-code endpoints: thin — parse, call the use case, shape the response."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, status

from listing.api.deps import Operator
from listing.api.industries.schemas import RederiveJobOut
from listing.industries import service
from listing.industries.commands import RequestRederive
from shared.http.dependencies import UnitOfWorkDep, get_runtime
from shared.http.routes import StrictRoute
from shared.runtime import ServiceRuntime

router = APIRouter(route_class=StrictRoute)

# The worker that does the job (listing.workers.industry_rederive).
WORKER = "industry-rederive"
RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


@router.post(
    "/patents/industry-codes/rederive",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=RederiveJobOut,
    tags=["patents"],
    summary="Re-derive every patent's industry codes (operator)",
)
async def request_rederive(
    principal: Operator, uow: UnitOfWorkDep, runtime: RuntimeDep
) -> RederiveJobOut:
    """After the industry concordance was replaced (`LISTING_CONCORDANCE_DIR`, see
    docs/concordance.md), derive every catalogued patent's industry codes again from its
    IPC symbols. Answers at once with the job; a worker goes through the catalogue in
    application-number order and publishes
    `cn.ipmarket.listing.patent.industries_changed.v1` for each patent whose codes
    change. Search filters see the new codes as each batch commits. Poll the job with
    `GET /v1/patents/industry-codes/rederive/{job_id}`."""
    job = await service.request_rederive(uow, RequestRederive(principal.org_id))
    await uow.commit()
    runtime.wake(WORKER)
    return RederiveJobOut.of(job)


@router.get(
    "/patents/industry-codes/rederive/{job_id}",
    response_model=RederiveJobOut,
    tags=["patents"],
    summary="A re-derivation of industry codes (operator)",
)
async def get_rederive_job(
    job_id: Annotated[UUID, Path(description="The job id the request answered.")],
    _: Operator,
    uow: UnitOfWorkDep,
) -> RederiveJobOut:
    """The job's state (`queued`, `running`, `done`), how many patents it examined and
    changed so far, and the concordance version it derives with."""
    return RederiveJobOut.of(await service.rederive_job(uow, str(job_id)))
