"""The job store: every statement on the upload tables, on plain asyncpg connections.

An upload job lives in the service's database, so any instance answers for it and a
restart resumes it. Statuses::

    received -> running -> succeeded | completed_with_errors | rejected | failed

``rejected``: an atomic upload with row errors, nothing committed. ``failed``: the job
could not be run (its handler kept raising, or the workers running it kept dying): its
``failure`` says why.

Leases are machinery, not rules: they run on the database's own time (``now()``), so a
moved test clock neither expires nor prolongs one. The times a job shows (created, started,
finished) are the service clock's.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.uploads.formats import RowError

Connect = Callable[[], AbstractAsyncContextManager[asyncpg.Connection]]


class JobStatus(StrEnum):
    RECEIVED = "received"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    COMPLETED_WITH_ERRORS = "completed_with_errors"
    REJECTED = "rejected"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self not in (JobStatus.RECEIVED, JobStatus.RUNNING)


@dataclass(frozen=True)
class UploadJob:
    """A job as read from the database (handlers get the one being run)."""

    id: str
    kind: str
    uploaded_by: str
    uploader_subject: str
    on_behalf_of: str | None
    idempotency_key: str | None
    sha256: str
    size_bytes: int
    format: str
    encoding: str
    options: dict[str, Any]
    atomic: bool
    status: JobStatus
    rows_total: int
    rows_done: int
    rows_committed: int
    rows_failed: int
    next_row: int
    attempts: int
    failure: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class NewJob:
    id: str
    kind: str
    uploaded_by: str
    uploader_subject: str
    on_behalf_of: str | None
    idempotency_key: str | None
    format: str
    options: dict[str, Any]
    atomic: bool
    created_at: datetime


class LeaseLost(RuntimeError):
    """Another worker took the job over (this one's lease had expired): this worker's
    transaction must not commit."""


def engine_connections(engine: AsyncEngine) -> Connect:
    """Plain asyncpg connections borrowed from a service's SQLAlchemy engine pool.

    (SQLAlchemy's driver connection passes ``jsonb`` as text both ways: the store encodes
    and decodes it itself.)"""

    @asynccontextmanager
    async def connect() -> AsyncIterator[asyncpg.Connection]:
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            yield raw.driver_connection

    return connect


_LEASE = frozenset({"lease_owner", "lease_expires_at"})


def _job(row: asyncpg.Record) -> UploadJob:
    values = {k: v for k, v in row.items() if k not in _LEASE}
    options = values["options"]
    values["options"] = json.loads(options) if isinstance(options, str) else dict(options)
    values["id"] = str(values["id"])
    values["status"] = JobStatus(values["status"])
    return UploadJob(**values)


class UploadStore:
    """Upload jobs of one service database (the tables of ``shared.uploads.tables``)."""

    def __init__(self, connect: Connect) -> None:
        self.connect = connect

    # -- receiving (the caller holds the transaction) --------------------------------------

    async def insert(self, conn: asyncpg.Connection, job: NewJob) -> None:
        """Insert a job being received; raises ``asyncpg.UniqueViolationError`` when its
        uploader already used its idempotency key (once that upload has committed)."""
        await conn.execute(
            "INSERT INTO upload_jobs (id, kind, uploaded_by, uploader_subject, "
            "on_behalf_of, idempotency_key, sha256, size_bytes, format, encoding, options, "
            "atomic, status, rows_total, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, '', 0, $7, '', $8, $9, 'received', 0, $10)",
            job.id,
            job.kind,
            job.uploaded_by,
            job.uploader_subject,
            job.on_behalf_of,
            job.idempotency_key,
            job.format,
            json.dumps(job.options, ensure_ascii=False),
            job.atomic,
            job.created_at,
        )

    async def add_chunk(self, conn: asyncpg.Connection, job_id: str, seq: int, data: bytes) -> None:
        await conn.execute(
            "INSERT INTO upload_chunks (job_id, seq, data) VALUES ($1, $2, $3)",
            job_id,
            seq,
            data,
        )

    async def received(
        self,
        conn: asyncpg.Connection,
        job_id: str,
        *,
        sha256: str,
        size_bytes: int,
        encoding: str,
        rows_total: int,
    ) -> None:
        await conn.execute(
            "UPDATE upload_jobs SET sha256 = $2, size_bytes = $3, encoding = $4, "
            "rows_total = $5 WHERE id = $1",
            job_id,
            sha256,
            size_bytes,
            encoding,
            rows_total,
        )

    async def by_key(self, subject: str, key: str) -> UploadJob | None:
        async with self.connect() as conn:
            row = await conn.fetchrow(
                "SELECT * FROM upload_jobs WHERE uploader_subject = $1 AND idempotency_key = $2",
                subject,
                key,
            )
        return None if row is None else _job(row)

    # -- reading -----------------------------------------------------------------------------

    async def get(self, job_id: str) -> UploadJob | None:
        async with self.connect() as conn:
            row = await conn.fetchrow("SELECT * FROM upload_jobs WHERE id = $1", job_id)
        return None if row is None else _job(row)

    async def row_errors(self, job_id: str) -> AsyncIterator[RowError]:
        """The job's row errors in row order, streamed from a cursor."""
        async with self.connect() as conn, conn.transaction():
            cursor = conn.cursor(
                "SELECT row, field, reason, line FROM upload_row_errors WHERE job_id = $1 "
                "ORDER BY row, seq",
                job_id,
                prefetch=2000,
            )
            async for r in cursor:
                yield RowError(r["row"], r["field"], r["reason"], r["line"])

    # -- running -----------------------------------------------------------------------------

    async def claim(self, owner: str, lease_s: float, now: datetime) -> UploadJob | None:
        """Take the oldest job waiting or left by a worker whose lease expired, counting
        the attempt."""
        async with self.connect() as conn:
            row = await conn.fetchrow(
                "UPDATE upload_jobs SET status = 'running', lease_owner = $1, "
                "lease_expires_at = now() + make_interval(secs => $2), "
                "attempts = attempts + 1, started_at = coalesce(started_at, $3) "
                "WHERE id = (SELECT id FROM upload_jobs "
                "WHERE status IN ('received', 'running') "
                "AND (lease_expires_at IS NULL OR lease_expires_at < now()) "
                "ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *",
                owner,
                lease_s,
                now,
            )
        return None if row is None else _job(row)

    async def chunks(self, conn: asyncpg.Connection, job_id: str) -> AsyncIterator[bytes]:
        """The job's file, chunk by chunk, one chunk in memory at a time."""
        seq = 0
        while True:
            data = await conn.fetchval(
                "SELECT data FROM upload_chunks WHERE job_id = $1 AND seq = $2", job_id, seq
            )
            if data is None:
                return
            yield bytes(data)
            seq += 1

    async def progress(
        self,
        conn: asyncpg.Connection,
        job_id: str,
        owner: str,
        lease_s: float,
        *,
        next_row: int,
        done: int,
        committed: int,
        failed: int,
    ) -> None:
        """Move the job on by a batch (``done`` rows, of which ``committed`` and ``failed``)
        and renew the lease; raises :class:`LeaseLost` when another worker has the job."""
        moved = await conn.fetchval(
            "UPDATE upload_jobs SET next_row = $3, rows_done = rows_done + $4, "
            "rows_committed = rows_committed + $5, rows_failed = rows_failed + $6, "
            "lease_expires_at = now() + make_interval(secs => $7) "
            "WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING 1",
            job_id,
            owner,
            next_row,
            done,
            committed,
            failed,
            lease_s,
        )
        if moved is None:
            raise LeaseLost(f"upload {job_id} is no longer this worker's ({owner})")

    async def add_row_errors(
        self, conn: asyncpg.Connection, job_id: str, errors: Sequence[RowError]
    ) -> None:
        seqs: dict[int, int] = {}
        records = []
        for e in errors:
            seq = seqs[e.row] = seqs.get(e.row, -1) + 1
            records.append((job_id, e.row, seq, e.line, e.field, e.reason))
        if records:
            await conn.copy_records_to_table(
                "upload_row_errors",
                records=records,
                columns=["job_id", "row", "seq", "line", "field", "reason"],
            )

    async def restart(self, conn: asyncpg.Connection, job_id: str) -> None:
        """An atomic job starts over from its first row: forget what an earlier attempt
        counted and reported (its transaction committed nothing)."""
        await conn.execute("DELETE FROM upload_row_errors WHERE job_id = $1", job_id)
        await conn.execute(
            "UPDATE upload_jobs SET rows_done = 0, rows_committed = 0, rows_failed = 0, "
            "next_row = 1 WHERE id = $1",
            job_id,
        )

    async def finish(
        self,
        conn: asyncpg.Connection,
        job_id: str,
        owner: str,
        status: JobStatus,
        now: datetime,
        *,
        committed: int | None = None,
    ) -> None:
        """End the job (``committed``: its final count, for an atomic job) and drop its
        file; raises :class:`LeaseLost` when another worker has the job."""
        ended = await conn.fetchval(
            "UPDATE upload_jobs SET status = $3, finished_at = $4, lease_owner = NULL, "
            "lease_expires_at = NULL, failure = NULL, "
            "rows_committed = coalesce($5, rows_committed) "
            "WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING 1",
            job_id,
            owner,
            status.value,
            now,
            committed,
        )
        if ended is None:
            raise LeaseLost(f"upload {job_id} is no longer this worker's ({owner})")
        await conn.execute("DELETE FROM upload_chunks WHERE job_id = $1", job_id)

    async def give_up(self, job_id: str, reason: str, now: datetime) -> None:
        """The job cannot be run: ``failed`` with ``reason``, its file dropped."""
        async with self.connect() as conn, conn.transaction():
            await conn.execute(
                "UPDATE upload_jobs SET status = 'failed', failure = $2, finished_at = $3, "
                "lease_owner = NULL, lease_expires_at = NULL WHERE id = $1",
                job_id,
                reason,
                now,
            )
            await conn.execute("DELETE FROM upload_chunks WHERE job_id = $1", job_id)

    async def release(self, job_id: str, owner: str, failure: str, retry_after_s: float) -> None:
        """An attempt failed: keep why, and let a worker try again after a pause."""
        async with self.connect() as conn:
            await conn.execute(
                "UPDATE upload_jobs SET failure = $3, "
                "lease_expires_at = now() + make_interval(secs => $4) "
                "WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
                job_id,
                owner,
                failure,
                retry_after_s,
            )
