"""Registry-sync's periodic workers (``shared.workers``).

Every instance runs every worker. A worker claims its rows with a lease (FOR UPDATE SKIP
LOCKED, then committed), calls the office with no transaction open, and records each
answer in a unit of work of its own: a slow office never holds a row lock, and a
repeated call after a crash is harmless (the idempotency key).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from registry_sync.adapters.patent_office import HttpPatentOffice, HttpPolicy
from registry_sync.adapters.tech_contract_office import TechContractOfficeClient
from registry_sync.config import RegistrySyncSettings
from registry_sync.domain.office import TechContractRegistryOffice
from registry_sync.domain.patent_office import OfficeUnavailable, PatentOffice
from registry_sync.domain.recordal import RetryPolicy
from registry_sync.legal_status.commands import ApplyLegalStatus
from registry_sync.legal_status.service import (
    PATENT_OFFICE_FEED,
    apply_legal_status,
    feed_position,
)
from registry_sync.reconciliation import service as reconciliation
from registry_sync.recordals.commands import AdvanceRecordals
from registry_sync.recordals.submission import advance_recordals
from registry_sync.registrations.commands import ClaimDue, RecordOfficeStatus, RecordSubmission
from registry_sync.registrations.submission import (
    claim_for_polling,
    claim_for_submission,
    record_office_status,
    record_submission,
)
from shared.db.uow import UnitOfWork
from shared.workers import PeriodicWorker

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime


def _claim(settings: RegistrySyncSettings) -> ClaimDue:
    return ClaimDue(
        settings.registration_batch_size, timedelta(seconds=settings.registration_lease_s)
    )


async def submit_ready(
    uow_factory: Callable[[], UnitOfWork],
    office: TechContractRegistryOffice,
    settings: RegistrySyncSettings,
) -> int:
    """Submit every ready registration whose attempt is due; returns how many were tried."""
    async with uow_factory() as uow:
        claimed = await claim_for_submission(uow, _claim(settings))
        await uow.commit()
    retry_base = timedelta(seconds=settings.registration_retry_base_s)
    for registration in claimed:
        outcome = await office.submit(registration)
        async with uow_factory() as uow:
            await record_submission(uow, RecordSubmission(registration.id, outcome, retry_base))
            await uow.commit()
    return len(claimed)


async def poll_submitted(
    uow_factory: Callable[[], UnitOfWork],
    office: TechContractRegistryOffice,
    settings: RegistrySyncSettings,
) -> int:
    """Ask the office about every submitted registration whose poll is due."""
    async with uow_factory() as uow:
        claimed = await claim_for_polling(uow, _claim(settings))
        await uow.commit()
    interval = timedelta(seconds=settings.registration_poll_interval_s)
    for registration in claimed:
        if registration.office_reference is None:
            continue  # the claim asks only for acknowledged submissions
        outcome = await office.status(registration.office_reference)
        async with uow_factory() as uow:
            await record_office_status(uow, RecordOfficeStatus(registration.id, outcome, interval))
            await uow.commit()
    return len(claimed)


def _office_worker(
    runtime: ServiceRuntime,
    name: str,
    interval_s: float,
    work: Callable[
        [Callable[[], UnitOfWork], TechContractRegistryOffice, RegistrySyncSettings],
        Awaitable[int],
    ],
) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, RegistrySyncSettings)
    client: list[TechContractOfficeClient] = []

    @contextlib.asynccontextmanager
    async def lifetime() -> AsyncIterator[None]:
        client.append(TechContractOfficeClient(settings, runtime.clock.now))
        try:
            yield
        finally:
            await client[0].close()

    async def tick() -> int:
        return await work(runtime.uow, client[0], settings)

    return PeriodicWorker(name, interval_s, tick, lifetime=lifetime)


def registration_submit(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, RegistrySyncSettings)
    return _office_worker(
        runtime, "registration-submit", settings.registration_submit_interval_s, submit_ready
    )


def registration_poll(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, RegistrySyncSettings)
    return _office_worker(
        runtime, "registration-poll", settings.registration_poll_interval_s, poll_submitted
    )


class _OfficeHolder:
    """The worker's adapter, opened for the worker's lifetime."""

    def __init__(self, runtime: ServiceRuntime, settings: RegistrySyncSettings) -> None:
        self.runtime, self.settings = runtime, settings
        self.office: HttpPatentOffice | None = None

    @contextlib.asynccontextmanager
    async def lifetime(self) -> AsyncIterator[None]:
        s = self.settings
        self.office = HttpPatentOffice(
            s.patent_office_url,
            policy=HttpPolicy(
                s.patent_office_timeout_s, s.patent_office_attempts, s.patent_office_backoff_s
            ),
            clock=self.runtime.clock,
            credentials=s.patent_office_credentials(),
        )
        try:
            yield
        finally:
            await self.office.aclose()

    def get(self) -> PatentOffice:
        assert self.office is not None, "used outside the worker's lifetime"
        return self.office


def _settings(runtime: ServiceRuntime) -> RegistrySyncSettings:
    settings = runtime.settings
    assert isinstance(settings, RegistrySyncSettings)
    return settings


def recordal_submitter(runtime: ServiceRuntime) -> PeriodicWorker:
    """Submits pending recordals to the patent office and polls submitted ones."""
    settings = _settings(runtime)
    holder = _OfficeHolder(runtime, settings)
    policy = RetryPolicy(first=settings.recordal_retry_first, poll=settings.recordal_poll_interval)

    async def tick() -> None:
        command = AdvanceRecordals(settings.recordal_batch_size)
        # A full batch may leave more due; a partial one means the rest waits.
        while await advance_recordals(runtime.uow, holder.get(), command, policy) == command.limit:
            pass

    return PeriodicWorker(
        "patent-office-recordals", settings.recordal_interval_s, tick, lifetime=holder.lifetime
    )


async def poll_legal_status(
    uow_factory: Callable[[], UnitOfWork], office: PatentOffice, limit: int
) -> int:
    """Read the feed after the position applied (no transaction is open during the call),
    then publish what is new; until the feed has nothing more. Returns how many were
    published."""
    total = 0
    while True:
        async with uow_factory() as uow:
            after = await feed_position(uow, PATENT_OFFICE_FEED)
        entries = await office.legal_status(after, limit)
        if not entries:
            return total
        async with uow_factory() as uow:
            published = await apply_legal_status(
                uow, ApplyLegalStatus(PATENT_OFFICE_FEED, after, tuple(entries))
            )
            await uow.commit()
        total += published
        if published == 0:
            return total


def legal_status_feed(runtime: ServiceRuntime) -> PeriodicWorker:
    """Polls the patent office's legal-status feed."""
    settings = _settings(runtime)
    holder = _OfficeHolder(runtime, settings)

    async def tick() -> None:
        with contextlib.suppress(OfficeUnavailable):
            await poll_legal_status(runtime.uow, holder.get(), settings.legal_status_batch_size)

    return PeriodicWorker(
        "patent-office-legal-status",
        settings.legal_status_interval_s,
        tick,
        lifetime=holder.lifetime,
    )


RECONCILIATION = "reconciliation"


async def reconcile(uow_factory: Callable[[], UnitOfWork]) -> int:
    """Add today's scheduled run if the day has none yet, then carry out every pending
    run, one per unit of work; returns how many ran.

    Every instance runs this worker: the day's run is one row (a unique index on the
    scheduled day), and each pending run is taken FOR UPDATE SKIP LOCKED, so each run is
    carried out once."""
    async with uow_factory() as uow:
        if await reconciliation.schedule_daily_run(uow):
            await uow.commit()
    ran = 0
    while True:
        async with uow_factory() as uow:
            if await reconciliation.run_next(uow) is None:
                return ran
            await uow.commit()
        ran += 1


def reconciliation_worker(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = _settings(runtime)
    return PeriodicWorker(
        RECONCILIATION, settings.reconciliation_interval_s, lambda: reconcile(runtime.uow)
    )
