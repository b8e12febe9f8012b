"""Reconciliation endpoints: the operator starts a run; the operator and regulators read
the runs and their mismatch reports, as JSON pages or one CSV export."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from registry_sync.api.deps import Operator, Overseer
from registry_sync.api.reconciliation import schemas
from registry_sync.domain.reconciliation import Mismatch, MismatchReason, ReconciliationRun
from registry_sync.reconciliation import service
from registry_sync.reconciliation.commands import ListMismatches, RequestReconciliationRun
from registry_sync.workers import RECONCILIATION
from shared.domain import ApplicationNumber
from shared.http.dependencies import PageDep, UnitOfWorkDep, get_runtime
from shared.http.pagination import Page, TimeIdPosition
from shared.http.routes import StrictRoute
from shared.http.types import ApplicationNumberStr
from shared.runtime import ServiceRuntime

router = APIRouter(tags=["reconciliation"], route_class=StrictRoute)

RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]
RunId = Annotated[str, Path(max_length=36)]
ReasonQuery = Annotated[MismatchReason | None, Query(description="Only rows of this reason.")]
NumberQuery = Annotated[ApplicationNumberStr | None, Query(description="Only this patent.")]
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


@router.post(
    "/reconciliation-runs",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=schemas.ReconciliationRunPublic,
    summary="Run the reconciliation now (备案与技术合同登记核对)",
)
async def request_run(
    principal: Operator, uow: UnitOfWorkDep, runtime: RuntimeDep
) -> schemas.ReconciliationRunPublic:
    """立即运行一次备案与技术合同认定登记的核对。

    Run the reconciliation of filings with technology-contract registrations now, as of
    today, besides the daily run. Answers 202 with the run `pending`; poll
    `GET /v1/reconciliation-runs/{id}` until it is `completed`, then read its mismatches.
    Operator only."""
    run = await service.request_run(uow, RequestReconciliationRun(requested_by=principal.org_id))
    await uow.commit()
    runtime.wake(RECONCILIATION)
    return _run(run)


@router.get(
    "/reconciliation-runs",
    response_model=Page[schemas.ReconciliationRunPublic],
    summary="List reconciliation runs (核对记录)",
)
async def list_runs(
    page: PageDep, uow: UnitOfWorkDep, _: Overseer
) -> Page[schemas.ReconciliationRunPublic]:
    """核对记录列表，最新在前。

    Reconciliation runs, newest first: the daily ones and those the operator asked for,
    each with its counts per reason code once completed. Operator and regulators."""
    after = page.after(TimeIdPosition)
    runs = await service.list_runs(uow, limit=page.limit, after=after.key if after else None)
    cursor = page.next_cursor(runs, lambda r: TimeIdPosition(t=r.requested_at, id=r.id))
    return Page(items=[_run(r) for r in runs], next_cursor=cursor)


@router.get(
    "/reconciliation-runs/{run_id}",
    response_model=schemas.ReconciliationRunPublic,
    summary="Get one reconciliation run (核对记录)",
)
async def get_run(
    run_id: RunId, uow: UnitOfWorkDep, _: Overseer
) -> schemas.ReconciliationRunPublic:
    """一次核对的状态与各原因的不一致条数。

    One run: its status and, once completed, how many mismatch rows each reason code
    has (every code listed, zeros included). Operator and regulators."""
    return _run(await service.get_run(uow, run_id))


@router.get(
    "/reconciliation-runs/{run_id}/mismatches",
    response_model=Page[schemas.MismatchPublic],
    summary="A run's mismatch report (核对不一致清单)",
    responses={200: {"content": {CSV_MEDIA_TYPE: {}}}},
)
async def list_mismatches(
    run_id: RunId,
    request: Request,
    page: PageDep,
    uow: UnitOfWorkDep,
    runtime: RuntimeDep,
    _: Overseer,
    reason: ReasonQuery = None,
    application_number: NumberQuery = None,
) -> Response | Page[schemas.MismatchPublic]:
    """核对不一致清单：每行一个原因代码。

    The run's mismatch rows in report order, one reason code each, filtered by reason or
    patent; a filing or registration may have several rows. With `Accept: text/csv`, the
    whole report (the filters applied) as one CSV file, as `…/mismatches.csv` gives it.
    Operator and regulators."""
    query = _query(run_id, page.limit, reason, application_number)
    if "text/csv" in request.headers.get("accept", ""):
        return await _csv(uow, runtime, query)
    after = page.after(schemas.MismatchPosition)
    found = await service.list_mismatches(
        uow, dataclasses.replace(query, after_id=after.i if after else None)
    )
    cursor = page.next_cursor(found, lambda m: schemas.MismatchPosition(i=m.id))
    return Page(items=[_mismatch(m) for m in found], next_cursor=cursor)


@router.get(
    "/reconciliation-runs/{run_id}/mismatches.csv",
    response_class=StreamingResponse,
    summary="A run's mismatch report as CSV (核对不一致清单导出)",
    responses={200: {"content": {CSV_MEDIA_TYPE: {}}}},
)
async def export_mismatches(
    run_id: RunId,
    uow: UnitOfWorkDep,
    runtime: RuntimeDep,
    _: Overseer,
    reason: ReasonQuery = None,
    application_number: NumberQuery = None,
) -> Response:
    """导出核对不一致清单（CSV，UTF-8 带 BOM，Excel 可直接打开中文）。

    The run's whole mismatch report (filtered by reason or patent if asked) as CSV,
    streamed: UTF-8 with a byte order mark so Excel shows the Chinese, a header row
    (Chinese and the field name), one row per mismatch with the reason's code and its
    Chinese label. Operator and regulators."""
    return await _csv(uow, runtime, _query(run_id, 1, reason, application_number))


def _query(
    run_id: str, limit: int, reason: MismatchReason | None, application_number: str | None
) -> ListMismatches:
    return ListMismatches(
        run_id=run_id,
        limit=limit,
        reason=reason,
        application_number=(
            ApplicationNumber.parse(application_number).value if application_number else None
        ),
    )


async def _csv(uow: UnitOfWorkDep, runtime: ServiceRuntime, query: ListMismatches) -> Response:
    run = await service.get_run(uow, query.run_id)  # 404 before the first byte is sent

    async def lines() -> AsyncIterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        buffer.write("\ufeff")
        writer.writerow(schemas.CSV_HEADER)
        async for mismatch in service.every_mismatch(runtime.uow, query):
            writer.writerow(["" if c is None else c for c in schemas.csv_cells(mismatch)])
            if buffer.tell() > 64 * 1024:
                yield _drain(buffer)
        yield _drain(buffer)

    return StreamingResponse(
        lines(),
        media_type=CSV_MEDIA_TYPE,
        headers={
            "Content-Disposition": (
                f'attachment; filename="reconciliation-{run.run_on}-{run.id}.csv"'
            )
        },
    )


def _drain(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    return data


def _run(run: ReconciliationRun) -> schemas.ReconciliationRunPublic:
    return schemas.ReconciliationRunPublic(
        id=run.id,
        run_on=run.run_on,
        trigger=run.trigger,
        status=run.status,
        requested_at=run.requested_at,
        completed_at=run.completed_at,
        counts=None
        if run.counts is None
        else {MismatchReason(k): v for k, v in run.counts.items()},
        total=None if run.counts is None else run.total,
    )


def _mismatch(mismatch: Mismatch) -> schemas.MismatchPublic:
    return schemas.MismatchPublic.model_validate(mismatch, from_attributes=True)
