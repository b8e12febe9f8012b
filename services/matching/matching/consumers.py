"""Matching's Kafka handlers: each event becomes a command for a use case.

The catalogue keeps matching's view of listing's patents and needs; outcomes keeps what
license, listing and pledge published about them (licences, royalties, transfers,
pledges). Every handler tolerates redelivery (the consumer records the event id with
the effect) and events about patents it never saw registered.
"""

from __future__ import annotations

from matching.catalogue import service as catalogue
from matching.catalogue.commands import (
    ChangePatentIndustries,
    ChangePatentOwners,
    ChangePatentStatus,
    ChangeTier,
    CloseNeed,
    DeclareOpenLicense,
    Delist,
    EndOpenLicense,
    ListForSale,
    RecordInventory,
    RecordNeed,
    RecordPatent,
)
from matching.domain.patent import Patentee
from matching.outcomes import service as outcomes
from matching.outcomes.commands import (
    CreditInventory,
    RecordImplementation,
    RecordLicense,
    RecordPledge,
    RecordRoyalty,
    RecordTransfer,
)
from shared.db.uow import UnitOfWork
from shared.events.schemas import (
    DeclarationExpired,
    DeclarationLapsed,
    DeclarationPublished,
    DeclarationReinstated,
    DeclarationSuspended,
    DeclarationWithdrawn,
    DemandClosed,
    DemandPublished,
    DemandUpdated,
    ImplementationRecorded,
    InventoryRecorded,
    LicenseGranted,
    PatenteeRef,
    PatentIndustriesChanged,
    PatentOwnerChanged,
    PatentRegistered,
    PatentStatusChanged,
    PledgeRegistered,
    RoyaltyReported,
    SupplyListingClosed,
    SupplyListingPublished,
    TierChanged,
)
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-matching"
router = EventRouter()


def _patentees(refs: list[PatenteeRef]) -> tuple[Patentee, ...]:
    return tuple(
        Patentee(name=r.name, uscc=r.uscc, org_id=r.org_id, party_type=r.party_type) for r in refs
    )


def _valid(legal_status: str, suspended: bool) -> bool:
    return legal_status == "valid" and not suspended


@router.on(PatentRegistered)
async def on_patent_registered(event: PatentRegistered, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.record_patent(
        uow,
        RecordPatent(
            application_number=event.application_number,
            title=event.title,
            abstract=event.abstract,
            ipc_codes=tuple(event.ipc_codes),
            industry_codes=tuple(event.industry_codes),
            region_code=event.region_code,
            patentees=_patentees(event.patentees),
            valid=_valid(event.legal_status, event.suspended),
        ),
    )


@router.on(PatentStatusChanged)
async def on_status_changed(event: PatentStatusChanged, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.change_status(
        uow,
        ChangePatentStatus(
            event.application_number, valid=_valid(event.legal_status, event.suspended)
        ),
    )


@router.on(PatentOwnerChanged)
async def on_owner_changed(event: PatentOwnerChanged, ctx: EventContext, uow: UnitOfWork) -> None:
    await catalogue.change_owners(
        uow, ChangePatentOwners(event.application_number, _patentees(event.patentees))
    )
    await outcomes.record_transfer(
        uow,
        RecordTransfer(
            # The recorded transfer's reference when listing has one: the same transfer
            # published again stays one fact.
            transfer_id=event.transfer_reference or ctx.event.id,
            application_number=event.application_number,
            previous_owner_usccs=tuple(p.uscc for p in event.previous_patentees),
            owner_usccs=tuple(p.uscc for p in event.patentees),
            effective_on=event.effective_date,
        ),
    )


@router.on(PatentIndustriesChanged)
async def on_industries_changed(
    event: PatentIndustriesChanged, _: EventContext, uow: UnitOfWork
) -> None:
    await catalogue.change_industries(
        uow, ChangePatentIndustries(event.application_number, tuple(event.industry_codes))
    )


@router.on(InventoryRecorded)
async def on_inventory_recorded(event: InventoryRecorded, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.record_inventory(
        uow,
        RecordInventory(
            event.application_number,
            willingness=event.willingness,
            intended_modes=tuple(event.intended_modes),
        ),
    )
    if event.institution.uscc:
        await outcomes.credit_inventory(
            uow,
            CreditInventory(
                event.application_number, event.institution.uscc, event.institution.name
            ),
        )


@router.on(TierChanged)
async def on_tier_changed(event: TierChanged, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.change_tier(uow, ChangeTier(event.application_number, event.tier))


@router.on(DeclarationPublished)
async def on_declaration_published(
    event: DeclarationPublished, _: EventContext, uow: UnitOfWork
) -> None:
    await catalogue.declare_open_license(uow, DeclareOpenLicense(event.application_number))


@router.on(DeclarationReinstated)
async def on_declaration_reinstated(
    event: DeclarationReinstated, _: EventContext, uow: UnitOfWork
) -> None:
    await catalogue.declare_open_license(uow, DeclareOpenLicense(event.application_number))


# An open licence that stops being in force, however it ends.
@router.on(DeclarationWithdrawn)
async def on_declaration_withdrawn(
    event: DeclarationWithdrawn, _: EventContext, uow: UnitOfWork
) -> None:
    await catalogue.end_open_license(uow, EndOpenLicense(event.application_number))


@router.on(DeclarationLapsed)
async def on_declaration_lapsed(event: DeclarationLapsed, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.end_open_license(uow, EndOpenLicense(event.application_number))


@router.on(DeclarationExpired)
async def on_declaration_expired(
    event: DeclarationExpired, _: EventContext, uow: UnitOfWork
) -> None:
    await catalogue.end_open_license(uow, EndOpenLicense(event.application_number))


@router.on(DeclarationSuspended)
async def on_declaration_suspended(
    event: DeclarationSuspended, _: EventContext, uow: UnitOfWork
) -> None:
    await catalogue.end_open_license(uow, EndOpenLicense(event.application_number))


@router.on(SupplyListingPublished)
async def on_supply_listed(event: SupplyListingPublished, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.list_for_sale(uow, ListForSale(event.application_number, event.listing_id))


# An update changes nothing matching keeps of a listing (its patent's facts are the
# catalogue's); it is not handled.
@router.on(SupplyListingClosed)
async def on_supply_closed(event: SupplyListingClosed, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.delist(uow, Delist(event.application_number, event.listing_id))


# An update carries the whole demand: recorded again, it replaces what matching had.
@router.on(DemandUpdated)
@router.on(DemandPublished)
async def on_demand_published(event: DemandPublished, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.record_need(
        uow,
        RecordNeed(
            need_id=event.demand_id,
            requester_name=event.requester.name,
            requester_uscc=event.requester.uscc,
            requester_org_id=event.requester.org_id,
            title=event.title,
            description=event.description,
            technical_field=event.technical_field,
            ipc_codes=tuple(event.ipc_codes),
            industry_codes=tuple(event.industry_codes),
            region_code=event.region_code,
            deadline=event.deadline,
        ),
    )


@router.on(LicenseGranted)
async def on_license_granted(event: LicenseGranted, _: EventContext, uow: UnitOfWork) -> None:
    await outcomes.record_license(
        uow,
        RecordLicense(
            license_id=event.license_id,
            application_number=event.application_number,
            licensee_uscc=event.licensee.uscc,
            licensor_usccs=tuple(r.uscc for r in event.licensors if r.uscc),
            effective_on=event.effective_date,
            contract_value=event.contract_value,
        ),
    )


@router.on(RoyaltyReported)
async def on_royalty_reported(event: RoyaltyReported, _: EventContext, uow: UnitOfWork) -> None:
    await outcomes.record_royalty(
        uow,
        RecordRoyalty(
            period_id=event.period_id,
            license_id=event.license_id,
            application_number=event.application_number,
            amount_due=event.amount_due,
            period_end=event.period_end,
        ),
    )


@router.on(PledgeRegistered)
async def on_pledge_registered(event: PledgeRegistered, _: EventContext, uow: UnitOfWork) -> None:
    await outcomes.record_pledge(
        uow,
        RecordPledge(
            pledge_id=event.pledge_id,
            application_numbers=tuple(event.application_numbers),
            pledgor_uscc=event.pledgor.uscc,
            pledgee_uscc=event.pledgee.uscc,
            secured_amount=event.secured_amount,
            registered_on=event.registered_on,
        ),
    )


@router.on(ImplementationRecorded)
async def on_implementation_recorded(
    event: ImplementationRecorded, _: EventContext, uow: UnitOfWork
) -> None:
    await outcomes.record_implementation(
        uow,
        RecordImplementation(
            implementation_id=event.implementation_id,
            application_number=event.application_number,
            recorded_on=event.recorded_on,
        ),
    )


@router.on(DemandClosed)
async def on_demand_closed(event: DemandClosed, _: EventContext, uow: UnitOfWork) -> None:
    await catalogue.close_need(uow, CloseNeed(event.demand_id))
