"""Listing's periodic workers (``shared.workers``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listing.config import ListingSettings
from listing.declarations.service import expire_declarations
from shared.workers import PeriodicWorker

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

EXPIRY_BATCH = 200


async def end_expired_declarations(runtime: ServiceRuntime) -> int:
    """End every declaration past its term (Asia/Shanghai dates), batch by batch, each
    batch committed; returns how many.

    Every instance runs it; each batch locks its rows with SKIP LOCKED, so instances
    share the work and no declaration is ended (or announced as expired) twice."""
    total = 0
    while True:
        async with runtime.uow() as uow:
            found = await expire_declarations(uow, EXPIRY_BATCH)
            await uow.commit()
        total += found
        if found < EXPIRY_BATCH:
            return total


def declaration_expiry(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, ListingSettings)
    return PeriodicWorker(
        "declaration-expiry",
        settings.expiry_sweep_interval_s,
        lambda: end_expired_declarations(runtime),
    )
