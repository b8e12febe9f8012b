"""Listing's periodic workers (``shared.workers``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from listing.catalogue.service import expire_patents
from listing.config import ListingSettings
from listing.declarations.service import expire_declarations
from listing.funding.service import flag_unexploited_patents
from listing.industries.service import rederive_batch
from listing.market.lifecycle import expire_listings
from listing.restatements.service import restate_batch
from listing.search.engine.follower import SearchFollower
from listing.search.sources import SOURCES
from listing.uploads.service import InventoryUploads
from shared.db.engine import asyncpg_dsn
from shared.db.uow import UnitOfWork
from shared.uploads import upload_worker
from shared.workers import PeriodicWorker

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

EXPIRY_BATCH = 200
FLAG_BATCH = 200


async def _in_batches(
    runtime: ServiceRuntime, step: Callable[[UnitOfWork, int], Awaitable[int]], size: int
) -> int:
    """Run ``step`` (it acts on at most ``size`` rows) one committed batch after another
    until a batch comes back short; returns how many rows it acted on."""
    total = 0
    while True:
        async with runtime.uow() as uow:
            found = await step(uow, size)
            await uow.commit()
        total += found
        if found < size:
            return total


async def end_expired_declarations(runtime: ServiceRuntime) -> int:
    """End every declaration past its term (Asia/Shanghai dates), batch by batch, each
    batch committed; returns how many.

    Every instance runs it; each batch locks its rows with SKIP LOCKED, so instances
    share the work and no declaration is ended (or announced as expired) twice."""
    return await _in_batches(runtime, expire_declarations, EXPIRY_BATCH)


async def end_patent_terms(runtime: ServiceRuntime) -> int:
    """Lapse every patent whose term ended, batch by batch, each batch committed; returns
    how many. Instances share it like the declaration expiry (SKIP LOCKED)."""
    return await _in_batches(runtime, expire_patents, EXPIRY_BATCH)


def patent_term_sweep(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, ListingSettings)
    return PeriodicWorker(
        "patent-term-sweep",
        settings.expiry_sweep_interval_s,
        lambda: end_patent_terms(runtime),
    )


async def close_expired_listings(runtime: ServiceRuntime) -> int:
    """Close every supply listing and demand past its end date (Asia/Shanghai), batch by
    batch, each batch committed; returns how many of the kind that had more. Instances
    share it like the declaration expiry (SKIP LOCKED)."""
    return await _in_batches(runtime, expire_listings, EXPIRY_BATCH)


def listing_expiry(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, ListingSettings)
    return PeriodicWorker(
        "listing-expiry",
        settings.expiry_sweep_interval_s,
        lambda: close_expired_listings(runtime),
    )


def declaration_expiry(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, ListingSettings)
    return PeriodicWorker(
        "declaration-expiry",
        settings.expiry_sweep_interval_s,
        lambda: end_expired_declarations(runtime),
    )


async def flag_state_funded_unexploited(runtime: ServiceRuntime) -> int:
    """Flag every state-funded patent due (funding.service), batch by batch, each batch
    committed; returns how many. Instances share it as they share the expiry sweep."""
    return await _in_batches(runtime, flag_unexploited_patents, FLAG_BATCH)


def state_funded_sweep(runtime: ServiceRuntime) -> PeriodicWorker:
    settings = runtime.settings
    assert isinstance(settings, ListingSettings)
    return PeriodicWorker(
        "state-funded-sweep",
        settings.state_funded_sweep_interval_s,
        lambda: flag_state_funded_unexploited(runtime),
    )


async def rederive_industry_codes(runtime: ServiceRuntime) -> int:
    """Do the pending re-derivation jobs, one committed batch after another; returns how
    many batches were done. An instance that finds the job locked leaves it to the
    instance doing the batch."""
    settings = runtime.settings
    assert isinstance(settings, ListingSettings)
    total = 0
    while True:
        async with runtime.uow() as uow:
            job = await rederive_batch(uow, settings.rederive_batch)
            await uow.commit()
        if job is None:
            return total
        total += 1


def industry_rederive(runtime: ServiceRuntime) -> PeriodicWorker:
    """Woken by the re-derive endpoint; every few seconds for a job an instance that
    stopped left behind."""
    return PeriodicWorker("industry-rederive", 5.0, lambda: rederive_industry_codes(runtime))


async def restate_catalogue(runtime: ServiceRuntime) -> int:
    """Do the pending restatement jobs, one committed batch after another; returns how
    many batches were done."""
    settings = runtime.settings
    assert isinstance(settings, ListingSettings)
    total = 0
    while True:
        async with runtime.uow() as uow:
            job = await restate_batch(uow, settings.restatement_batch)
            await uow.commit()
        if job is None:
            return total
        total += 1


def patent_restatement(runtime: ServiceRuntime) -> PeriodicWorker:
    """Woken by the restatement endpoint; every few seconds for a job an instance that
    stopped left behind."""
    return PeriodicWorker("patent-restatement", 5.0, lambda: restate_catalogue(runtime))


# Inventory uploads (listing/uploads): woken by the upload endpoint, and every few seconds
# for a job an instance that died left behind (shared.uploads.runner).
inventory_uploads = upload_worker([InventoryUploads()], name="uploads")


def search_index(runtime: ServiceRuntime) -> SearchFollower:
    """This instance's relevance indexes, fed by the catalogue's committed changes
    (listing.search.engine.follower): woken by NOTIFY, polled as a fallback."""
    settings = runtime.settings
    assert isinstance(settings, ListingSettings)
    return SearchFollower(
        asyncpg_dsn(settings.database_url),
        SOURCES,
        settings.search_index_dir,
        interval_s=settings.search_poll_interval_s,
    )
