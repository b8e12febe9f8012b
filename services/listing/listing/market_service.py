"""Supply and demand listings: use cases. Services never commit; the caller's unit of work
does."""

from __future__ import annotations

import uuid
from datetime import datetime

from listing.api import schemas
from listing.domain.errors import (
    SupplyNotPatentee,
)
from listing.domain.market import check_demand, check_wording
from listing.models import (
    DemandRecord,
    SupplyListingRecord,
)
from listing.repository import ListingRepository, ListingT
from shared.auth import OrgType, Principal
from shared.auth.principal import PATENTEE_TYPES
from shared.db.uow import UnitOfWork
from shared.domain import ApplicationNumber
from shared.domain.calendar import today_in_shanghai
from shared.errors import NotFound
from shared.events.schemas import (
    DemandPublished,
    OrgRef,
    SupplyListingPublished,
)


def _source(principal: Principal) -> str | None:
    """The connected platform a listing comes from, when a platform publishes it."""
    return principal.org_id if principal.org_type is OrgType.EXCHANGE else None


async def _published_before(
    repo: ListingRepository, model: type[ListingT], principal: Principal, reference: str | None
) -> ListingT | None:
    """The listing this source already published under ``reference``, if any: publishing
    it again returns it and publishes nothing."""
    if reference is None:
        return None
    return await repo.listing_by_reference(model, principal.org_id, reference)


async def publish_supply(
    uow: UnitOfWork, principal: Principal, body: schemas.SupplyListingCreate
) -> tuple[SupplyListingRecord, bool]:
    """List a patent for transfer or licence; ``(listing, created)``. A patent in the
    catalogue takes its type, IPC, industries and region from there, and only its
    patentee (or a platform acting for one) may list it."""
    repo = ListingRepository(uow.session)
    existing = await _published_before(
        repo, SupplyListingRecord, principal, body.external_reference
    )
    if existing is not None:
        return existing, False
    check_wording(body.title, body.description)
    number = ApplicationNumber.parse(body.application_number)
    patent = await repo.get_patent(str(number))
    owners = {p.get("uscc") for p in patent.patentees} if patent is not None else None
    if owners is not None and principal.org_type in PATENTEE_TYPES and principal.uscc not in owners:
        raise SupplyNotPatentee(f"patent {number} belongs to other patentees")
    record = SupplyListingRecord(
        id=str(uuid.uuid4()),
        application_number=str(number),
        kind=body.kind.value,
        title=body.title,
        description=body.description,
        asking_price=body.asking_price,
        ipc_codes=list(body.ipc_codes) or (list(patent.ipc_codes) if patent else []),
        industry_codes=list(body.industry_codes) or (list(patent.industry_codes) if patent else []),
        region_code=body.region_code or (patent.region_code if patent else None),
        patent_type=patent.patent_type if patent else number.patent_type.value,
        contact=body.contact,
        source_org_id=principal.org_id,
        source_org_name=principal.org_name,
        source_platform=_source(principal),
        external_reference=body.external_reference,
    )
    if not await repo.add_listing(record):  # a concurrent copy won the reference
        winner = await _published_before(
            repo, SupplyListingRecord, principal, body.external_reference
        )
        assert winner is not None
        return winner, False
    uow.emit(
        SupplyListingPublished(
            listing_id=record.id,
            application_number=record.application_number,
            kind=record.kind,
            title=record.title,
            description=record.description,
            asking_price=record.asking_price,
            ipc_codes=record.ipc_codes,
            industry_codes=record.industry_codes,
            region_code=record.region_code,
            patent_type=record.patent_type,
            contact=record.contact,
            lister=OrgRef(org_id=principal.org_id, name=principal.org_name, uscc=principal.uscc),
            external_reference=record.external_reference,
        ),
        origin_platform=record.source_platform,
    )
    return record, True


async def publish_demand(
    uow: UnitOfWork, principal: Principal, body: schemas.DemandCreate
) -> tuple[DemandRecord, bool]:
    repo = ListingRepository(uow.session)
    existing = await _published_before(repo, DemandRecord, principal, body.external_reference)
    if existing is not None:
        return existing, False
    check_wording(body.title, body.description)
    check_demand(
        deadline=body.deadline,
        budget_min=body.budget_min,
        budget_max=body.budget_max,
        today=today_in_shanghai(),
    )
    record = DemandRecord(
        id=str(uuid.uuid4()),
        title=body.title,
        description=body.description,
        technical_field=body.technical_field,
        ipc_codes=list(body.ipc_codes),
        industry_codes=list(body.industry_codes),
        budget_min=body.budget_min,
        budget_max=body.budget_max,
        region_code=body.region_code,
        deadline=body.deadline,
        contact=body.contact,
        source_org_id=principal.org_id,
        source_org_name=principal.org_name,
        source_uscc=principal.uscc,
        source_platform=_source(principal),
        external_reference=body.external_reference,
    )
    if not await repo.add_listing(record):
        winner = await _published_before(repo, DemandRecord, principal, body.external_reference)
        assert winner is not None
        return winner, False
    uow.emit(
        DemandPublished(
            demand_id=record.id,
            title=record.title,
            description=record.description,
            technical_field=record.technical_field,
            ipc_codes=record.ipc_codes,
            industry_codes=record.industry_codes,
            budget_min=record.budget_min,
            budget_max=record.budget_max,
            region_code=record.region_code,
            deadline=record.deadline,
            contact=record.contact,
            requester=OrgRef(org_id=principal.org_id, name=principal.org_name, uscc=principal.uscc),
            external_reference=record.external_reference,
        ),
        origin_platform=record.source_platform,
    )
    return record, True


async def get_listing(uow: UnitOfWork, model: type[ListingT], listing_id: str) -> ListingT:
    record = await ListingRepository(uow.session).get_listing(model, listing_id)
    if record is None:
        what = "supply listing" if model is SupplyListingRecord else "demand"
        raise NotFound(f"{what} {listing_id} does not exist")
    return record


async def list_listings(
    uow: UnitOfWork, model: type[ListingT], limit: int, after: tuple[datetime, str] | None
) -> list[ListingT]:
    return await ListingRepository(uow.session).list_listings(model, limit, after)
