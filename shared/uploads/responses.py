"""What upload endpoints answer: the job (:class:`UploadJobOut`, 202 :func:`accepted`) and
its row errors, streamed from the database as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from shared.uploads.jobs import UploadJob, UploadStore


@dataclass(frozen=True)
class Received:
    """An upload received: its job, and whether its key had already received this file."""

    job: UploadJob
    replayed: bool


class UploadLinks(BaseModel):
    self: str
    errors_csv: str
    errors_json: str


class UploadJobOut(BaseModel):
    """An upload job: where it stands, and where its row errors are."""

    id: str
    kind: str
    status: str = Field(
        description="received, running, succeeded, completed_with_errors (valid rows "
        "committed), rejected (atomic with row errors: nothing committed), failed (could "
        "not run: see `failure`)."
    )
    rows_total: int
    rows_done: int
    rows_committed: int
    rows_failed: int
    atomic: bool
    format: str
    encoding: str
    on_behalf_of: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    failure: str | None
    links: UploadLinks

    @classmethod
    def of(cls, job: UploadJob, url: str) -> UploadJobOut:
        """``url``: the job's own URL; its error reports are at ``<url>/errors.csv`` and
        ``<url>/errors.json``."""
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status.value,
            rows_total=job.rows_total,
            rows_done=job.rows_done,
            rows_committed=job.rows_committed,
            rows_failed=job.rows_failed,
            atomic=job.atomic,
            format=job.format,
            encoding=job.encoding,
            on_behalf_of=job.on_behalf_of,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            failure=job.failure,
            links=UploadLinks(
                self=url, errors_csv=f"{url}/errors.csv", errors_json=f"{url}/errors.json"
            ),
        )


def accepted(received: Received, url: str) -> JSONResponse:
    """202 with the job and its URL (``Location``); ``Idempotent-Replayed: true`` when the
    key had already received this file."""
    headers = {"Location": url}
    if received.replayed:
        headers["Idempotent-Replayed"] = "true"
    body = UploadJobOut.of(received.job, url).model_dump(mode="json")
    return JSONResponse(body, status_code=202, headers=headers)


ERROR_COLUMNS = ("row", "line", "field", "reason")


def error_report_csv(store: UploadStore, job: UploadJob) -> StreamingResponse:
    """The job's row errors as CSV (UTF-8 with a byte order mark, so Excel shows Chinese)."""

    async def lines() -> AsyncIterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        buffer.write("\ufeff")
        writer.writerow(ERROR_COLUMNS)
        async for e in store.row_errors(job.id):
            writer.writerow((e.row, e.line, e.field or "", e.reason))
            if buffer.tell() > 64 * 1024:
                yield _drain(buffer)
        yield _drain(buffer)

    filename = f"upload-{job.id}-errors.csv"
    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def error_report_json(store: UploadStore, job: UploadJob) -> StreamingResponse:
    """The job's row errors as a JSON array of ``{row, line, field, reason}``."""

    async def parts() -> AsyncIterator[bytes]:
        separator = "["
        async for e in store.row_errors(job.id):
            item = {"row": e.row, "line": e.line, "field": e.field, "reason": e.reason}
            yield (separator + json.dumps(item, ensure_ascii=False)).encode()
            separator = ","
        yield b"[]" if separator == "[" else b"]"

    return StreamingResponse(parts(), media_type="application/json")


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")
