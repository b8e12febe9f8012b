"""Industry codes: the concordance listing derives them with, and re-deriving the
catalogue's codes when the operator replaces it. Use cases never commit.

The concordance is chosen once per process at start-up (``LISTING_CONCORDANCE_DIR``,
:func:`use_concordance`): registration, bulk import, inventory uploads and the
re-derivation all derive with the same table, and a bad replacement stops the process
before it serves anything.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from listing.catalogue.repository import PatentRepository
from listing.domain.rederive import RederiveJob
from listing.industries.commands import RequestRederive
from listing.industries.repository import RederiveJobRepository
from shared.db.uow import UnitOfWork
from shared.domain.industry import Concordance, default_concordance, load_concordance
from shared.errors import NotFound
from shared.events.schemas import PatentIndustriesChanged

_in_force: list[Concordance] = []


def use_concordance(directory: Path | None) -> Concordance:
    """Load and check the concordance of ``directory`` (the packaged one if None) and make
    it the process's; ``ConcordanceDataError`` if a file is bad."""
    concordance = default_concordance() if directory is None else load_concordance(directory)
    _in_force[:] = [concordance]
    return concordance


def concordance_in_force() -> Concordance:
    """The concordance chosen at start-up; the packaged one until a process chooses."""
    return _in_force[0] if _in_force else default_concordance()


async def request_rederive(uow: UnitOfWork, command: RequestRederive) -> RederiveJob:
    """Queue a pass over the whole catalogue with the concordance in force; the
    ``industry-rederive`` worker does it, batch by batch."""
    now = uow.clock.now()
    job = RederiveJob(
        job_id=str(uuid.uuid4()),
        concordance_version=concordance_in_force().version,
        requested_by_org_id=command.requested_by_org_id,
        created_at=now,
        updated_at=now,
    )
    await RederiveJobRepository(uow.session).add(job)
    return job


async def rederive_job(uow: UnitOfWork, job_id: str) -> RederiveJob:
    job = await RederiveJobRepository(uow.session).get(job_id)
    if job is None:
        raise NotFound(f"no industry-code re-derivation {job_id}")
    return job


async def rederive_batch(uow: UnitOfWork, limit: int) -> RederiveJob | None:
    """One batch of the oldest unfinished job of the concordance in force: the next
    ``limit`` patents after the job's position, each given the codes the concordance
    derives now; one ``PatentIndustriesChanged`` per patent whose codes change. Returns the
    job (None: no job for this process, or another instance holds it for its batch).

    The job's row is locked for the batch (SKIP LOCKED), so two instances never do the
    same batch; a job queued under another concordance waits for an instance that has it.
    """
    concordance = concordance_in_force()
    jobs = RederiveJobRepository(uow.session)
    job = await jobs.next_for_update(concordance.version)
    if job is None:
        return None
    patents = PatentRepository(uow.session)
    batch = await patents.page_for_update(limit, job.after)
    now = uow.clock.now()
    changed = 0
    for patent in batch:
        previous = patent.reclassify(concordance.industries_for(patent.ipc_codes))
        if previous is None:
            continue
        changed += 1
        await patents.save(patent, updated_at=now)
        uow.emit(
            PatentIndustriesChanged(
                application_number=patent.application_number.value,
                industry_codes=patent.industry_codes,
                previous_industry_codes=previous,
                concordance_version=concordance.version,
            )
        )
    last = batch[-1].application_number.value if batch else None
    job.advance(last, len(batch), changed, now)
    await jobs.save(job)
    return job
