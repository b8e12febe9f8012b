"""Supply and demand listings: use cases. Services never commit; the caller's unit of work
does."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from listing.catalogue.repository import PatentRepository
from listing.domain.errors import SupplyNotPatentee
from listing.domain.market import (
    Demand,
    ListingStatus,
    SupplyListing,
    check_demand,
    check_end_date,
    check_wording,
)
from listing.market import repository
from listing.market.commands import PublishDemand, PublishSupply, ReviewSupply
from listing.market.repository import Listings
from listing.restrictions.service import restrictions_in_force
from shared.auth import OrgType, Principal
from shared.auth.principal import PATENTEE_TYPES
from shared.db.uow import UnitOfWork
from shared.domain import ApplicationNumber
from shared.errors import NotFound
from shared.events.schemas import DemandPublished, OrgRef, SupplyListingPublished
from shared.events.schemas.base import EventData

ListingT = TypeVar("ListingT", SupplyListing, Demand)


def _lister(principal: Principal) -> dict[str, Any]:
    """Who publishes a listing, and the connected platform it comes from when a platform
    publishes it."""
    platform = principal.org_id if principal.org_type is OrgType.EXCHANGE else None
    return {
        "source_org_id": principal.org_id,
        "source_org_name": principal.org_name,
        "source_platform": platform,
        "source_uscc": principal.uscc,
    }


async def _published_before(
    listings: Listings[ListingT, Any], principal: Principal, reference: str | None
) -> ListingT | None:
    """The listing this source already published under ``reference``, if any: publishing
    it again returns it and publishes nothing."""
    if reference is None:
        return None
    return await listings.by_reference(principal.org_id, reference)


async def _publish(
    uow: UnitOfWork,
    listings: Listings[ListingT, Any],
    principal: Principal,
    listing: ListingT,
    event: EventData,
) -> tuple[ListingT, bool]:
    """Save the new listing and publish ``event``; or, when a concurrent copy won its
    reference, that copy."""
    if not await listings.add(listing):
        winner = await _published_before(listings, principal, listing.external_reference)
        assert winner is not None
        return winner, False
    if listing.status is ListingStatus.PUBLISHED:
        uow.emit(event, origin_platform=listing.source_platform)
    return listing, True


async def publish_supply(
    uow: UnitOfWork, principal: Principal, command: PublishSupply
) -> tuple[SupplyListing, bool]:
    """List a patent for transfer or licence; ``(listing, created)``. A patent in the
    catalogue takes its type, IPC, industries and region from there, and only its
    patentee (or a platform acting for one) may list it."""
    listings = repository.supply_listings(uow.session)
    existing = await _published_before(listings, principal, command.external_reference)
    if existing is not None:
        return existing, False
    check_wording(command.title, command.description)
    check_end_date(command.valid_until, uow.clock.today())
    number = ApplicationNumber.parse(command.application_number)
    patent = await PatentRepository(uow.session).get(str(number))
    owners = {p.uscc for p in patent.patentees} if patent is not None else None
    if owners is not None and principal.org_type in PATENTEE_TYPES and principal.uscc not in owners:
        raise SupplyNotPatentee(f"patent {number} belongs to other patentees")
    listing = SupplyListing(
        id=str(uuid.uuid4()),
        application_number=str(number),
        kind=command.kind,
        title=command.title,
        description=command.description,
        asking_price=command.asking_price,
        ipc_codes=list(command.ipc_codes) or (list(patent.ipc_codes) if patent else []),
        industry_codes=(
            list(command.industry_codes) or (list(patent.industry_codes) if patent else [])
        ),
        region_code=command.region_code or (patent.region_code if patent else None),
        patent_type=(patent.patent_type if patent else number.patent_type).value,
        contact=command.contact,
        external_reference=command.external_reference,
        valid_until=command.valid_until,
        created_at=uow.clock.now(),
        **_lister(principal),
    )
    # A listing by, or on a patent of, a party restricted by a credit record waits for the
    # operator's review; it is published (and its event sent) when the operator approves.
    parties = [principal.uscc, *(owners or ())]
    restricted = await restrictions_in_force(uow, [u for u in parties if u])
    if restricted:
        listing.hold_for_review(restricted[0].record_id)
    return await _publish(uow, listings, principal, listing, supply_event(listing))


def supply_event(
    listing: SupplyListing, kind: type[SupplyListingPublished] = SupplyListingPublished
) -> SupplyListingPublished:
    """The whole listing as an event: published, or (``SupplyListingUpdated``) updated."""
    return kind(
        listing_id=listing.id,
        application_number=listing.application_number,
        kind=listing.kind.value,
        title=listing.title,
        description=listing.description,
        asking_price=listing.asking_price,
        ipc_codes=listing.ipc_codes,
        industry_codes=listing.industry_codes,
        region_code=listing.region_code,
        patent_type=listing.patent_type,
        contact=listing.contact,
        lister=OrgRef(
            org_id=listing.source_org_id, name=listing.source_org_name, uscc=listing.source_uscc
        ),
        external_reference=listing.external_reference,
        valid_until=listing.valid_until,
        version=listing.version,
    )


async def review_supply(uow: UnitOfWork, command: ReviewSupply) -> SupplyListing:
    """The operator approves a listing held for review (it is published now, with its
    event) or rejects it with a reason (it never was published, so nothing is sent)."""
    listings = repository.supply_listings(uow.session)
    listing = await listings.get_for_update(command.listing_id)
    if listing is None:
        raise NotFound(f"supply listing {command.listing_id} does not exist")
    if command.approved:
        listing.approve()
        uow.emit(supply_event(listing), origin_platform=listing.source_platform)
    else:
        listing.reject(command.reason or "")
    await listings.save(listing)
    return listing


async def supply_review_queue(
    uow: UnitOfWork, limit: int, after: tuple[datetime, str] | None
) -> list[SupplyListing]:
    """Listings held for review, oldest first."""
    return await repository.supply_listings(uow.session).pending_review(limit, after)


async def publish_demand(
    uow: UnitOfWork, principal: Principal, command: PublishDemand
) -> tuple[Demand, bool]:
    """Post a technical need; ``(demand, created)``."""
    demands = repository.demands(uow.session)
    existing = await _published_before(demands, principal, command.external_reference)
    if existing is not None:
        return existing, False
    check_wording(command.title, command.description)
    check_demand(
        deadline=command.deadline,
        budget_min=command.budget_min,
        budget_max=command.budget_max,
        today=uow.clock.today(),
    )
    need = Demand(
        id=str(uuid.uuid4()),
        title=command.title,
        description=command.description,
        technical_field=command.technical_field,
        ipc_codes=list(command.ipc_codes),
        industry_codes=list(command.industry_codes),
        budget_min=command.budget_min,
        budget_max=command.budget_max,
        region_code=command.region_code,
        deadline=command.deadline,
        contact=command.contact,
        external_reference=command.external_reference,
        created_at=uow.clock.now(),
        **_lister(principal),
    )
    return await _publish(uow, demands, principal, need, demand_event(need))


def demand_event(need: Demand, kind: type[DemandPublished] = DemandPublished) -> DemandPublished:
    """The whole demand as an event: published, or (``DemandUpdated``) updated."""
    return kind(
        demand_id=need.id,
        title=need.title,
        description=need.description,
        technical_field=need.technical_field,
        ipc_codes=need.ipc_codes,
        industry_codes=need.industry_codes,
        budget_min=need.budget_min,
        budget_max=need.budget_max,
        region_code=need.region_code,
        deadline=need.deadline,
        contact=need.contact,
        requester=OrgRef(
            org_id=need.source_org_id, name=need.source_org_name, uscc=need.source_uscc
        ),
        external_reference=need.external_reference,
        version=need.version,
    )


async def get_supply(uow: UnitOfWork, principal: Principal, listing_id: str) -> SupplyListing:
    """A listing not published is seen by its publisher and the operator; to anyone else
    it does not exist."""
    found = await repository.supply_listings(uow.session).get(listing_id)
    operator = principal.org_type is OrgType.OPERATOR
    if found is None or not found.may_be_seen_by(principal.org_id, operator=operator):
        raise NotFound(f"supply listing {listing_id} does not exist")
    return found


async def get_demand(uow: UnitOfWork, demand_id: str) -> Demand:
    found = await repository.demands(uow.session).get(demand_id)
    if found is None:
        raise NotFound(f"demand {demand_id} does not exist")
    return found


async def list_supply(
    uow: UnitOfWork, principal: Principal, limit: int, after: tuple[datetime, str] | None
) -> list[SupplyListing]:
    """Newest first: the published ones and the caller's own held or rejected ones."""
    return await repository.supply_listings(uow.session).newest(limit, after, principal.org_id)


async def list_demands(
    uow: UnitOfWork, principal: Principal, limit: int, after: tuple[datetime, str] | None
) -> list[Demand]:
    """Newest first."""
    return await repository.demands(uow.session).newest(limit, after, principal.org_id)


async def own_supply(uow: UnitOfWork, principal: Principal, reference: str) -> SupplyListing | None:
    """The caller's own supply listing under its reference, whatever its status."""
    return await repository.supply_listings(uow.session).by_reference(principal.org_id, reference)


async def own_demand(uow: UnitOfWork, principal: Principal, reference: str) -> Demand | None:
    """The caller's own demand under its reference, whatever its status."""
    return await repository.demands(uow.session).by_reference(principal.org_id, reference)
