"""Inventory uploads: a tech-transfer office sends its inventory as one file; the job
registers and inventories its patents in the background (``listing/uploads``)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.responses import JSONResponse, StreamingResponse

from listing.api.deps import Caller, PatenteeOrOperator
from listing.domain.errors import UploadNotYours
from listing.uploads import queries
from listing.uploads.rows import SPEC
from listing.uploads.service import (
    institution_for,
    institution_of,
    institution_options,
    may_read,
)
from shared.errors import NotFound
from shared.http.dependencies import GenericReadPoolDep, get_runtime
from shared.http.routes import StrictRoute
from shared.runtime import ServiceRuntime
from shared.uploads import UploadJob, UploadStore
from shared.uploads.http import UPLOAD_OPENAPI, UploadQueryDep, UploadRoute, receive_upload
from shared.uploads.jobs import engine_connections
from shared.uploads.responses import UploadJobOut, accepted, error_report_csv, error_report_json

WORKER = "uploads"
uploads = APIRouter(route_class=UploadRoute)
router = APIRouter(route_class=StrictRoute)
RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]
JobId = Annotated[UUID, Path(description="The upload job's id.")]


def _store(runtime: ServiceRuntime) -> UploadStore:
    return UploadStore(engine_connections(runtime.engine))


def _url(job_id: str) -> str:
    return f"/v1/inventory/uploads/{job_id}"


@uploads.post(
    "/inventory/uploads",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=UploadJobOut,
    tags=["inventory"],
    summary="Upload an inventory file (盘点清单): CSV or JSON Lines, up to 100,000 rows",
    openapi_extra=UPLOAD_OPENAPI,
)
async def upload_inventory(
    request: Request,
    query: UploadQueryDep,
    principal: PatenteeOrOperator,
    pool: GenericReadPoolDep,
    runtime: RuntimeDep,
    on_behalf_of: Annotated[
        str | None,
        Query(
            max_length=200,
            description="The operator only: the institution it uploads for, by USCC or by "
            "its exact name (it must hold patents in the catalogue).",
        ),
    ] = None,
) -> JSONResponse:
    """Answers 202 with the job (`Location`: its URL) once the file is stored; the rows
    are checked and committed in the background, batch by batch. Each row records a
    patent's inventory (转化意愿, 拟转化方式, 发明人, 专利组合, 财政资助项目, 备注) and,
    for a patent not yet in the catalogue, registers it from the row's catalogue facts
    (checked as `POST /v1/patents` checks them). The institution (the token's, or the one
    the operator names) must be a patentee of every patent: a row about another's patent
    is refused. Valid rows are committed even when others fail, unless `atomic=true`. The
    body is the file itself (`Content-Type: text/csv` or `application/x-ndjson`); columns,
    encodings and the error report are described in docs/uploads.md and docs/inventory.md.
    `Idempotency-Key` names the upload: the same key and file give the same job again."""
    institution = await institution_for(
        principal, on_behalf_of, lambda named: queries.institutions_named(pool, named)
    )
    received = await receive_upload(
        request,
        _store(runtime),
        SPEC,
        query,
        uploaded_by=principal.org_id,
        uploader_subject=principal.subject,
        clock=runtime.clock,
        on_behalf_of=institution.uscc if on_behalf_of else None,
        options=institution_options(institution),
    )
    runtime.wake(WORKER)
    return accepted(received, _url(received.job.id))


async def _readable_job(job_id: UUID, principal: Caller, runtime: ServiceRuntime) -> UploadJob:
    job = await _store(runtime).get(str(job_id))
    if job is None or job.kind != SPEC.kind:
        raise NotFound(f"no inventory upload {job_id}")
    if not may_read(principal, job.uploaded_by, institution_of(job).uscc):
        raise UploadNotYours(
            "an upload is read by the organisation that sent it, the institution it is "
            "for, the operator and regulators"
        )
    return job


@router.get(
    "/inventory/uploads/{job_id}",
    response_model=UploadJobOut,
    tags=["inventory"],
    summary="Where an inventory upload stands: rows done of the total, errors so far",
)
async def get_upload(job_id: JobId, principal: Caller, runtime: RuntimeDep) -> UploadJobOut:
    """Any instance answers: the job lives in the database. `status` ends as `succeeded`,
    `completed_with_errors`, `rejected` (atomic, nothing committed) or `failed`."""
    job = await _readable_job(job_id, principal, runtime)
    return UploadJobOut.of(job, _url(job.id))


@router.get(
    "/inventory/uploads/{job_id}/errors.csv",
    tags=["inventory"],
    summary="The upload's row errors as CSV (row, line, field, reason)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def upload_errors_csv(
    job_id: JobId, principal: Caller, runtime: RuntimeDep
) -> StreamingResponse:
    """UTF-8 with a BOM, so that Excel opens it with its Chinese intact."""
    job = await _readable_job(job_id, principal, runtime)
    return error_report_csv(_store(runtime), job)


@router.get(
    "/inventory/uploads/{job_id}/errors.json",
    tags=["inventory"],
    summary="The upload's row errors as JSON",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}}}},
)
async def upload_errors_json(
    job_id: JobId, principal: Caller, runtime: RuntimeDep
) -> StreamingResponse:
    job = await _readable_job(job_id, principal, runtime)
    return error_report_json(_store(runtime), job)
