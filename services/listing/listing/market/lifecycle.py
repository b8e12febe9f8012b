"""Supply listings and demands that change and end: their publisher's updates and
closes, and the sweep that closes them past their end date. Services never commit; the
caller's unit of work does.

Each change loads the listing with its row locked, so an update and a close racing are
applied one after the other: the second sees the first (a close after a close, or an
update after a close, is 409 ``listing-closed``). A change of a published listing is
announced with the listing's ``origin_platform``, under the key of its published event,
so every platform gets published, updated and closed in that order."""

from __future__ import annotations

from typing import Any, TypeVar

from listing.domain.market import ClosedReason, Demand, ListingStatus, SupplyListing
from listing.market import repository
from listing.market.commands import CloseListing, UpdateListing
from listing.market.repository import Listings
from listing.market.service import demand_event, supply_event
from shared.auth import Principal
from shared.db.uow import UnitOfWork
from shared.errors import NotFound
from shared.events.schemas import (
    DemandClosed,
    DemandUpdated,
    SupplyListingClosed,
    SupplyListingUpdated,
)
from shared.events.schemas.base import EventData

ListingT = TypeVar("ListingT", SupplyListing, Demand)


async def update_supply(
    uow: UnitOfWork, principal: Principal, command: UpdateListing
) -> SupplyListing:
    """Replace descriptive fields of the caller's supply listing; a published one is
    announced whole (``SupplyListingUpdated``)."""
    listings = repository.supply_listings(uow.session)
    listing = await _revise(uow, listings, principal, command, "supply listing")
    if listing.status is ListingStatus.PUBLISHED:
        _announce(uow, listing, supply_event(listing, SupplyListingUpdated))
    return listing


async def update_demand(uow: UnitOfWork, principal: Principal, command: UpdateListing) -> Demand:
    """Replace fields of the caller's demand; announced whole (``DemandUpdated``)."""
    demands = repository.demands(uow.session)
    need = await _revise(uow, demands, principal, command, "demand")
    if need.status is ListingStatus.PUBLISHED:
        _announce(uow, need, demand_event(need, DemandUpdated))
    return need


async def close_supply(
    uow: UnitOfWork, principal: Principal, command: CloseListing
) -> SupplyListing:
    """The publisher withdraws its supply listing."""
    listings = repository.supply_listings(uow.session)
    listing = await _owned(listings, principal, command.listing_id, "supply listing")
    _close(uow, listing, ClosedReason.WITHDRAWN, command.note)
    await listings.save(listing)
    return listing


async def close_demand(uow: UnitOfWork, principal: Principal, command: CloseListing) -> Demand:
    """The requester withdraws its demand."""
    demands = repository.demands(uow.session)
    need = await _owned(demands, principal, command.listing_id, "demand")
    _close(uow, need, ClosedReason.WITHDRAWN, command.note)
    await demands.save(need)
    return need


async def expire_listings(uow: UnitOfWork, limit: int) -> int:
    """Close the supply listings and demands whose end date (Asia/Shanghai) is before
    today, at most ``limit`` of each; returns the larger count (the sweep's batch)."""
    today = uow.clock.today()
    listings = repository.supply_listings(uow.session)
    supply = await listings.past_end(today, limit)
    for listing in supply:
        _close(uow, listing, ClosedReason.EXPIRED, None)
        await listings.save(listing)
    demands = repository.demands(uow.session)
    needs = await demands.past_end(today, limit)
    for need in needs:
        _close(uow, need, ClosedReason.EXPIRED, None)
        await demands.save(need)
    return max(len(supply), len(needs))


def _close(
    uow: UnitOfWork, listing: SupplyListing | Demand, reason: ClosedReason, note: str | None
) -> None:
    if not listing.close(reason, uow.clock.now(), note):
        return
    assert listing.closed_at is not None
    said: dict[str, Any] = {
        "reason": reason.value,
        "note": note,
        "version": listing.version,
        "closed_at": listing.closed_at,
        "ipc_codes": listing.ipc_codes,
        "industry_codes": listing.industry_codes,
        "region_code": listing.region_code,
        "external_reference": listing.external_reference,
    }
    event: EventData
    if isinstance(listing, SupplyListing):
        event = SupplyListingClosed(
            listing_id=listing.id,
            application_number=listing.application_number,
            patent_type=listing.patent_type,
            **said,
        )
    else:
        event = DemandClosed(demand_id=listing.id, **said)
    _announce(uow, listing, event)


async def _revise(
    uow: UnitOfWork,
    listings: Listings[ListingT, Any],
    principal: Principal,
    command: UpdateListing,
    what: str,
) -> ListingT:
    listing = await _owned(listings, principal, command.listing_id, what)
    listing.revise(command.changes, uow.clock.today())
    await listings.save(listing)
    return listing


async def _owned(
    listings: Listings[ListingT, Any], principal: Principal, listing_id: str, what: str
) -> ListingT:
    """The listing, locked, if the caller published it. One the caller may not see (not
    published, another's) is 404 like an id that does not exist."""
    listing = await listings.get_for_update(listing_id)
    if listing is None or not (
        listing.status in (ListingStatus.PUBLISHED, ListingStatus.CLOSED)
        or listing.source_org_id == principal.org_id
    ):
        raise NotFound(f"{what} {listing_id} does not exist")
    listing.require_publisher(principal.org_id)
    return listing


def _announce(uow: UnitOfWork, listing: SupplyListing | Demand, event: EventData) -> None:
    uow.emit(event, origin_platform=listing.source_platform)
