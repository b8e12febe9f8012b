"""Restating the catalogue for the services that keep a view of it (license's catalogue
started after most patents were registered). Use cases never commit.

Each ``PatentRestated`` carries ``as_of``, read after its batch's rows were locked FOR
SHARE: a change to one of them waits for the batch's commit, so its own event is
stamped after ``as_of``, and a view that keeps the newer of the two is right whatever
order they arrive in (they travel on different topics).
"""

from __future__ import annotations

import uuid

from listing import mapping
from listing.catalogue.repository import PatentRepository
from listing.domain.restatement import RestatementJob
from listing.restatements.commands import RequestRestatement
from listing.restatements.repository import RestatementJobRepository
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.schemas import PatentRestated


async def request_restatement(uow: UnitOfWork, command: RequestRestatement) -> RestatementJob:
    """Queue a pass over the whole catalogue; the ``patent-restatement`` worker does it,
    batch by batch."""
    now = uow.clock.now()
    job = RestatementJob(
        job_id=str(uuid.uuid4()),
        requested_by_org_id=command.requested_by_org_id,
        created_at=now,
        updated_at=now,
    )
    await RestatementJobRepository(uow.session).add(job)
    return job


async def restatement_job(uow: UnitOfWork, job_id: str) -> RestatementJob:
    job = await RestatementJobRepository(uow.session).get(job_id)
    if job is None:
        raise NotFound(f"no catalogue restatement {job_id}")
    return job


async def restate_batch(uow: UnitOfWork, limit: int) -> RestatementJob | None:
    """One batch of the oldest unfinished job: one ``PatentRestated`` for each of the
    next ``limit`` patents after the job's position. Returns the job (None: no job, or
    another instance holds it for its batch)."""
    jobs = RestatementJobRepository(uow.session)
    job = await jobs.next_for_update()
    if job is None:
        return None
    batch = await PatentRepository(uow.session).page_for_share(limit, job.after)
    # After the rows are locked: any change to them is stamped later than this.
    as_of = uow.clock.now()
    for patent in batch:
        registered = mapping.patent_registered(patent)
        uow.emit(PatentRestated(**registered.model_dump(), as_of=as_of, job_id=job.job_id))
    last = batch[-1].application_number.value if batch else None
    job.advance(last, len(batch), as_of)
    await jobs.save(job)
    return job
