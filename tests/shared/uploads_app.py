"""A miniature service with uploads, for the upload tests on the real database: its own
metadata (the upload tables and a table of things), a row handler that writes things, and
an app with the upload endpoints."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime

import asyncpg
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import Column as SqlColumn
from sqlalchemy import MetaData, String, Table

from shared.clock import Clock, SystemClock
from shared.errors import NotFound
from shared.http.idempotency import IdempotencyMiddleware
from shared.http.problems import install_problem_handlers
from shared.http.routes import StrictRoute
from shared.uploads import Column, RawRow, RowError, UploadJob, UploadSpec, UploadStore
from shared.uploads.http import UPLOAD_OPENAPI, UploadQueryDep, UploadRoute, receive_upload
from shared.uploads.responses import UploadJobOut, accepted, error_report_csv, error_report_json
from shared.uploads.tables import define_upload_tables

metadata = MetaData()
upload_tables = define_upload_tables(metadata)
things = Table(
    "things",
    metadata,
    # No key: a row written twice would show.
    SqlColumn("number", String(20), nullable=False),
    SqlColumn("title", String(200), nullable=False),
    SqlColumn("job_id", String(36), nullable=False),
)

SPEC = UploadSpec(
    kind="things",
    columns=(Column("number", ("编号",), required=True), Column("title", ("名称",))),
    key_column="number",
    normalise_key=lambda value: value.strip().upper(),
    max_rows=1000,
    max_bytes=64 * 1024,
)


class ThingHandler:
    """Takes a row with a title of at most 20 characters. ``fail_once_on_batch``: the
    batch (of a job) that raises, once, after writing (its transaction must undo it);
    ``always_fail``: every batch raises; ``hold``: an event the second batch of a job
    waits for (a job caught running)."""

    spec = SPEC

    def __init__(self) -> None:
        self.fail_once_on_batch: int | None = None
        self.always_fail = False
        self.hold: asyncio.Event | None = None
        self.batches: Counter[str] = Counter()  # by job

    def check(
        self, rows: list[RawRow], job: UploadJob, now: datetime
    ) -> tuple[list[RowError], list[tuple[str, str, str]]]:
        errors, good = [], []
        for row in rows:
            title = row.values.get("title")
            if not title:
                errors.append(RowError(row.number, "title", "required"))
            elif len(title) > 20:
                errors.append(RowError(row.number, "title", "at most 20 characters"))
            else:
                good.append((row.values["number"], title, job.id))
        return errors, good

    async def handle(
        self,
        checked: tuple[list[RowError], list[tuple[str, str, str]]],
        job: UploadJob,
        conn: asyncpg.Connection,
        clock: Clock,
    ) -> list[RowError]:
        self.batches[job.id] += 1
        batch = self.batches[job.id]
        errors, good = checked
        await conn.copy_records_to_table(
            "things", records=good, columns=["number", "title", "job_id"]
        )
        if self.hold is not None and batch == 2:
            await self.hold.wait()
        if self.always_fail or batch == self.fail_once_on_batch:
            self.fail_once_on_batch = None
            raise RuntimeError("the database went away")
        return errors


def upload_app(store: UploadStore) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(IdempotencyMiddleware)
    uploads = APIRouter(route_class=UploadRoute)
    reads = APIRouter(route_class=StrictRoute)

    @uploads.post("/v1/things/uploads", status_code=202, openapi_extra=UPLOAD_OPENAPI)
    async def upload(request: Request, query: UploadQueryDep) -> JSONResponse:
        org = request.headers.get("x-org", "org-1")
        received = await receive_upload(
            request, store, SPEC, query, uploaded_by=org, uploader_subject=org, clock=SystemClock()
        )
        return accepted(received, f"/v1/things/uploads/{received.job.id}")

    async def job_of(job_id: str) -> UploadJob:
        job = await store.get(job_id)
        if job is None:
            raise NotFound(f"no upload {job_id}")
        return job

    @reads.get("/v1/things/uploads/{job_id}")
    async def show(job_id: str) -> UploadJobOut:
        return UploadJobOut.of(await job_of(job_id), f"/v1/things/uploads/{job_id}")

    @reads.get("/v1/things/uploads/{job_id}/errors.csv")
    async def errors_csv(job_id: str) -> StreamingResponse:
        return error_report_csv(store, await job_of(job_id))

    @reads.get("/v1/things/uploads/{job_id}/errors.json")
    async def errors_json(job_id: str) -> StreamingResponse:
        return error_report_json(store, await job_of(job_id))

    app.include_router(uploads)
    app.include_router(reads)
    return app
