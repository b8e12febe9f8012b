"""Reconciliation's use cases. Services never commit; the endpoint or worker does."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from registry_sync.domain.reconciliation import (
    Mismatch,
    ReconciliationRun,
    RunStatus,
    RunTrigger,
)
from registry_sync.reconciliation.commands import ListMismatches, RequestReconciliationRun
from registry_sync.reconciliation.repository import ReconciliationRepository
from shared.db.uow import UnitOfWork, acting_org
from shared.errors import NotFound
from shared.events.schemas import ReconciliationCompleted
from shared.observability.tracing import current_trace_id, new_traceparent, parse_trace_id

# Rows per page the CSV export reads: each page a short transaction of its own.
EXPORT_PAGE = 5000


async def request_run(uow: UnitOfWork, command: RequestReconciliationRun) -> ReconciliationRun:
    """A run for the operator, taken by the reconciliation worker at once."""
    run = ReconciliationRun(
        id=str(uuid.uuid4()),
        run_on=uow.clock.today(),
        trigger=RunTrigger.OPERATOR,
        status=RunStatus.PENDING,
        requested_by=command.requested_by,
        requested_at=uow.clock.now(),
    )
    await ReconciliationRepository(uow.session).add_run(run)
    return run


async def schedule_daily_run(uow: UnitOfWork) -> bool:
    """Today's scheduled run, unless the day has it already; True if this call added it."""
    run = ReconciliationRun(
        id=str(uuid.uuid4()),
        run_on=uow.clock.today(),
        trigger=RunTrigger.SCHEDULED,
        status=RunStatus.PENDING,
        requested_by=None,
        requested_at=uow.clock.now(),
    )
    return await ReconciliationRepository(uow.session).add_run(run)


async def run_next(uow: UnitOfWork) -> ReconciliationRun | None:
    """Take the oldest pending run and carry it out in this unit of work: the mismatch
    rows, one event per row and the completion event commit together, or none of them.
    None when no run is pending (or another instance holds each)."""
    repository = ReconciliationRepository(uow.session)
    run = await repository.claim_pending()
    if run is None:
        return None
    counts = await repository.record_mismatches(
        run,
        source=uow.source,
        now=uow.clock.now(),
        trace_id=current_trace_id() or _new_trace_id(),
        actor=acting_org.get(),
    )
    done = dataclasses.replace(
        run, status=RunStatus.COMPLETED, completed_at=uow.clock.now(), counts=counts
    )
    await repository.complete(done)
    uow.emit(
        ReconciliationCompleted(run_id=run.id, run_on=run.run_on, counts=counts, total=done.total)
    )
    return done


async def get_run(uow: UnitOfWork, run_id: str) -> ReconciliationRun:
    run = await ReconciliationRepository(uow.session).get(run_id)
    if run is None:
        raise NotFound(f"reconciliation run {run_id} does not exist")
    return run


async def list_runs(
    uow: UnitOfWork, *, limit: int, after: tuple[datetime, str] | None
) -> list[ReconciliationRun]:
    return await ReconciliationRepository(uow.session).runs(limit=limit, after=after)


async def list_mismatches(uow: UnitOfWork, query: ListMismatches) -> list[Mismatch]:
    await get_run(uow, query.run_id)
    return await ReconciliationRepository(uow.session).mismatches(
        query.run_id,
        limit=query.limit,
        after_id=query.after_id,
        reason=query.reason,
        application_number=query.application_number,
    )


async def every_mismatch(
    uow_factory: Callable[[], UnitOfWork], query: ListMismatches
) -> AsyncIterator[Mismatch]:
    """Every mismatch the query selects, page by page, each page read in a unit of work
    of its own (a long export holds no transaction open)."""
    after = query.after_id
    while True:
        async with uow_factory() as uow:
            page = await list_mismatches(
                uow, dataclasses.replace(query, limit=EXPORT_PAGE, after_id=after)
            )
        for mismatch in page:
            yield mismatch
        if len(page) < EXPORT_PAGE:
            return
        after = page[-1].id


def _new_trace_id() -> str:
    trace_id = parse_trace_id(new_traceparent())
    assert trace_id is not None
    return trace_id
