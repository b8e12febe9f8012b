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

from registry_sync.adapters.tech_contract_office import TechContractOfficeClient
from registry_sync.config import RegistrySyncSettings
from registry_sync.domain.office import TechContractRegistryOffice
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
