"""Supply and demand listings: use cases. Services never commit; the caller's unit of work
does."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from listing.catalogue.repository import PatentRepository
from listing.domain.errors import SupplyNotPatentee
from listing.domain.market import Demand, SupplyListing, check_demand, check_wording
from listing.market import repository
from listing.market.commands import PublishDemand, PublishSupply
from listing.market.repository import Listings
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
    }


def _org(principal: Principal) -> OrgRef:
    return OrgRef(org_id=principal.org_id, name=principal.org_name, uscc=principal.uscc)


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
        created_at=uow.clock.now(),
        **_lister(principal),
    )
    event = SupplyListingPublished(
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
        lister=_org(principal),
        external_reference=listing.external_reference,
    )
    return await _publish(uow, listings, principal, listing, event)


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
        source_uscc=principal.uscc,
        external_reference=command.external_reference,
        created_at=uow.clock.now(),
        **_lister(principal),
    )
    event = DemandPublished(
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
        requester=_org(principal),
        external_reference=need.external_reference,
    )
    return await _publish(uow, demands, principal, need, event)


async def get_supply(uow: UnitOfWork, listing_id: str) -> SupplyListing:
    found = await repository.supply_listings(uow.session).get(listing_id)
    if found is None:
        raise NotFound(f"supply listing {listing_id} does not exist")
    return found


async def get_demand(uow: UnitOfWork, demand_id: str) -> Demand:
    found = await repository.demands(uow.session).get(demand_id)
    if found is None:
        raise NotFound(f"demand {demand_id} does not exist")
    return found


async def list_supply(
    uow: UnitOfWork, limit: int, after: tuple[datetime, str] | None
) -> list[SupplyListing]:
    """Newest first."""
    return await repository.supply_listings(uow.session).newest(limit, after)


async def list_demands(
    uow: UnitOfWork, limit: int, after: tuple[datetime, str] | None
) -> list[Demand]:
    """Newest first."""
    return await repository.demands(uow.session).newest(limit, after)
