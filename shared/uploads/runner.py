"""The worker that runs upload jobs through the service's row handlers.

It claims a job (a lease), reads its file back from the database chunk by chunk, parses
it, skips the rows an earlier attempt committed (``next_row``) and hands the rest to the
handler of the job's kind in batches. Each batch's effects, its row errors and the job's
progress commit in one transaction: a worker that dies loses nothing and, resumed by
another (once the lease expires), redoes nothing.

An atomic job (``atomic=true``) runs in one transaction that commits only when no row
failed; otherwise it is rolled back and the job ``rejected``. Its progress and row errors
are written beside that transaction, so readers see it move and the report stays.

A handler that raises fails the attempt: the batch rolls back, and the job is tried again
after a pause, from where it stood; after ``max_attempts`` attempts (also counting workers
that died running it) it is ``failed`` with the reason.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import asyncpg

from shared.clock import Clock
from shared.errors import ProblemError
from shared.uploads.formats import Format, Parsed, RawRow, RowError, RowParser, UploadSpec
from shared.uploads.jobs import JobStatus, LeaseLost, UploadJob, UploadStore, engine_connections
from shared.workers import PeriodicWorker

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime, WorkerFactory

log = logging.getLogger(__name__)


Checked = TypeVar("Checked")


class RowHandler(Protocol[Checked]):
    """What a service does with the rows of one kind of upload (``spec.kind``), in two
    steps.

    ``check`` does a batch's work that needs no database (reading its cells, validating
    them, building the rows to write) and returns it. The runner calls it in a worker
    thread, one batch ahead, while the previous batch is being written: Python and
    PostgreSQL work at the same time. It must touch neither the database nor anything
    shared; ``now`` is the time its rows are stamped with.

    ``handle`` gets what ``check`` returned and a plain asyncpg connection inside the
    batch's open transaction (COPY through it freely; never commit or roll it back). It
    returns the rows refused, as row errors, and must leave no effect of those rows:
    every row it does not refuse counts as committed. Raising fails the whole batch (an
    unexpected failure: the job is tried again)."""

    spec: UploadSpec

    def check(self, rows: list[RawRow], job: UploadJob, now: datetime) -> Checked: ...

    async def handle(
        self, checked: Checked, job: UploadJob, conn: asyncpg.Connection, clock: Clock
    ) -> list[RowError]: ...


@dataclass(frozen=True)
class RunnerSettings:
    batch_size: int = 2000
    lease_s: float = 60.0
    """How long a job stays a worker's without news from it (renewed with every batch)."""
    max_attempts: int = 3
    retry_after_s: float = 5.0


def _owner() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class UploadRunner:
    """Runs waiting jobs, one at a time, until none is left."""

    def __init__(
        self,
        store: UploadStore,
        handlers: Iterable[RowHandler[Any]],
        clock: Clock,
        *,
        settings: RunnerSettings | None = None,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.handlers = {h.spec.kind: h for h in handlers}
        self.clock = clock
        self.settings = settings or RunnerSettings()
        self.owner = _owner()
        self._on_commit = on_commit or (lambda: None)

    async def run_pending(self) -> int:
        """Run every job waiting (or abandoned); how many were taken."""
        taken = 0
        while job := await self.store.claim(self.owner, self.settings.lease_s, self.clock.now()):
            taken += 1
            await self.run(job)
        return taken

    async def run(self, job: UploadJob) -> None:
        handler = self.handlers.get(job.kind)
        if handler is None:
            await self.store.give_up(
                job.id, f"no handler for uploads of kind {job.kind!r}", self.clock.now()
            )
            return
        if job.attempts > self.settings.max_attempts:
            why = job.failure or "the worker running it stopped"
            reason = f"gave up after {self.settings.max_attempts} attempts; the last: {why}"
            await self.store.give_up(job.id, reason, self.clock.now())
            return
        try:
            if job.atomic:
                await self._atomic(job, handler)
            else:
                await self._in_batches(job, handler)
        except LeaseLost:
            log.warning("upload %s was taken over by another worker", job.id)
        except ProblemError as exc:  # the file no longer reads as the spec says
            await self.store.give_up(job.id, exc.detail, self.clock.now())
        except Exception as exc:
            log.exception("upload %s failed (attempt %d)", job.id, job.attempts)
            failure = f"{type(exc).__name__}: {exc}"[:1000]
            await self.store.release(job.id, self.owner, failure, self.settings.retry_after_s)

    async def _in_batches(self, job: UploadJob, handler: RowHandler[Any]) -> None:
        """Each batch in its own transaction; the next batch is checked (a thread) while
        the current one is written."""
        store, failed = self.store, job.rows_failed
        async with store.connect() as reader, store.connect() as writer:
            ahead: _Checking | None = None
            try:
                async for batch in _batches(
                    store, reader, job, handler.spec, self.settings.batch_size
                ):
                    checking = self._check(batch, job, handler)
                    if ahead is not None:
                        failed += await self._commit(ahead, job, handler, writer)
                    ahead = checking
                if ahead is not None:
                    failed += await self._commit(ahead, job, handler, writer)
                    ahead = None
            finally:
                if ahead is not None:  # a batch failed: the one checked ahead is dropped
                    ahead.drop()
            status = JobStatus.COMPLETED_WITH_ERRORS if failed else JobStatus.SUCCEEDED
            async with writer.transaction():
                await store.finish(writer, job.id, self.owner, status, self.clock.now())

    def _check(self, batch: list[Parsed], job: UploadJob, handler: RowHandler[Any]) -> _Checking:
        rows = [item for item in batch if isinstance(item, RawRow)]
        checked = asyncio.ensure_future(
            asyncio.to_thread(handler.check, rows, job, self.clock.now())
        )
        return _Checking(batch, rows, checked)

    async def _commit(
        self,
        checking: _Checking,
        job: UploadJob,
        handler: RowHandler[Any],
        writer: asyncpg.Connection,
    ) -> int:
        """Write one checked batch with its row errors and the job's progress; how many of
        its rows failed."""
        batch = checking.batch
        async with writer.transaction():
            errors, committed = await self._handle(checking, job, handler, writer)
            await self.store.add_row_errors(writer, job.id, errors)
            await self.store.progress(
                writer,
                job.id,
                self.owner,
                self.settings.lease_s,
                next_row=_number(batch[-1]) + 1,
                done=len(batch),
                committed=committed,
                failed=len(batch) - committed,
            )
        self._on_commit()
        return len(batch) - committed

    async def _atomic(self, job: UploadJob, handler: RowHandler[Any]) -> None:
        store, owner, lease = self.store, self.owner, self.settings.lease_s
        failed = committed_total = 0
        async with store.connect() as reader, store.connect() as beside, store.connect() as writer:
            await store.restart(beside, job.id)
            transaction = writer.transaction()
            await transaction.start()
            try:
                fresh = _restarted(job)
                async for batch in _batches(
                    store, reader, fresh, handler.spec, self.settings.batch_size
                ):
                    checking = self._check(batch, job, handler)
                    errors, committed = await self._handle(checking, job, handler, writer)
                    await store.add_row_errors(beside, job.id, errors)
                    await store.progress(
                        beside,
                        job.id,
                        owner,
                        lease,
                        next_row=1,
                        done=len(batch),
                        committed=0,
                        failed=len(batch) - committed,
                    )
                    failed += len(batch) - committed
                    committed_total += committed
                if failed:
                    await transaction.rollback()
                    await store.finish(
                        beside, job.id, owner, JobStatus.REJECTED, self.clock.now(), committed=0
                    )
                    return
                await store.finish(
                    writer,
                    job.id,
                    owner,
                    JobStatus.SUCCEEDED,
                    self.clock.now(),
                    committed=committed_total,
                )
                await transaction.commit()
            except BaseException:
                if not transaction.is_completed():
                    await transaction.rollback()
                raise
        self._on_commit()

    async def _handle(
        self,
        checking: _Checking,
        job: UploadJob,
        handler: RowHandler[Any],
        conn: asyncpg.Connection,
    ) -> tuple[list[RowError], int]:
        """The batch's row errors (the parser's and the handler's, lines filled in) and
        how many of its rows the handler took."""
        rows = checking.rows
        errors = [item for item in checking.batch if isinstance(item, RowError)]
        checked = await checking.checked
        refused = await handler.handle(checked, job, conn, self.clock) if rows else []
        lines = {row.number: row.line for row in rows}
        for error in refused:
            if error.row not in lines:
                raise ValueError(
                    f"the {job.kind} handler refused row {error.row}, not in its batch"
                )
            errors.append(error if error.line is not None else _with_line(error, lines[error.row]))
        return errors, len(rows) - len({e.row for e in refused})


@dataclass
class _Checking:
    """A batch being checked in a worker thread (``RowHandler.check``)."""

    batch: list[Parsed]
    rows: list[RawRow]
    checked: asyncio.Future[Any] = field(repr=False)

    def drop(self) -> None:
        """Not to be written: its result (or failure) is let go."""
        self.checked.add_done_callback(lambda done: done.cancelled() or done.exception())


def _with_line(error: RowError, line: int) -> RowError:
    return RowError(error.row, error.field, error.reason, line)


def _number(item: Parsed) -> int:
    return item.number if isinstance(item, RawRow) else item.row


def _restarted(job: UploadJob) -> UploadJob:
    return replace(job, next_row=1, rows_done=0, rows_committed=0, rows_failed=0)


async def _batches(
    store: UploadStore, reader: asyncpg.Connection, job: UploadJob, spec: UploadSpec, size: int
) -> AsyncIterator[list[Parsed]]:
    """The job's rows from ``next_row`` on, ``size`` at a time (every row is one item: a
    parsed row or its error). Earlier rows are parsed too, so a key repeated across the
    resume point is still caught."""
    parser = RowParser(spec, Format(job.format), job.encoding)
    batch: list[Parsed] = []
    chunks = store.chunks(reader, job.id)
    while True:
        data = await anext(chunks, None)
        items = parser.feed(data) if data is not None else parser.finish()
        for item in items:
            if _number(item) >= job.next_row:
                batch.append(item)
                if len(batch) >= size:
                    yield batch
                    batch = []
        if data is None:
            break
    if batch:
        yield batch


def upload_worker(
    handlers: Sequence[RowHandler[Any]],
    *,
    name: str = "uploads",
    interval_s: float = 5.0,
    settings: RunnerSettings | None = None,
) -> WorkerFactory:
    """A worker factory for ``ServiceRuntime(workers=[...])`` running the service's upload
    jobs; the endpoint that receives an upload wakes it by ``name``. The outbox relay is
    told after every committed batch (handlers write outbox rows)."""

    def build(runtime: ServiceRuntime) -> PeriodicWorker:
        def committed() -> None:
            if runtime.relay is not None:
                runtime.relay.notify()

        runner = UploadRunner(
            UploadStore(engine_connections(runtime.engine)),
            handlers,
            runtime.clock,
            settings=settings,
            on_commit=committed,
        )
        return PeriodicWorker(name, interval_s, runner.run_pending)

    return build
