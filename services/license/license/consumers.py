"""License's Kafka handlers: keep the catalogue, declaration, pledge and pledgee-consent
views from listing's and the pledge service's events. Each handler turns its event into
a command."""

from __future__ import annotations

from datetime import datetime

from license import mapping
from license.catalogue import service as catalogue
from license.catalogue.commands import ChangeOwner, ChangePatentStatus, RestatePatent
from license.deals import contracts
from license.deals.commands import RecordOfficeRecordal
from license.declarations import service as declarations
from license.declarations.commands import (
    RecordEnd,
    RecordPublication,
    RecordSuspension,
    RecordWithdrawal,
)
from license.domain.catalogue import PatentFacts, PatentStatus
from license.domain.declaration import DeclarationStatus, Patentee, Publication
from license.filing import service as filing
from license.filing.commands import RecordOfficeFiling
from license.pledges import service as pledges
from license.pledges.commands import RecordPledge, RecordPledgeeConsent, ReleasePledge
from shared.db.uow import UnitOfWork
from shared.events.schemas import (
    DeclarationExpired,
    DeclarationLapsed,
    DeclarationPublished,
    DeclarationReinstated,
    DeclarationSuspended,
    DeclarationWithdrawn,
    LicenseFilingRegistered,
    PatenteeRef,
    PatentOwnerChanged,
    PatentRegistered,
    PatentRestated,
    PatentStatusChanged,
    PledgeCancelled,
    PledgeeConsentRecorded,
    PledgeRegistered,
    TransferRegistrationRecorded,
)
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-license"
router = EventRouter()


@router.on(DeclarationPublished)
async def on_declaration_published(
    event: DeclarationPublished, _: EventContext, uow: UnitOfWork
) -> None:
    publication = Publication(
        patent_number=event.patent_number,
        patent_type=event.patent_type,
        title=event.title,
        patentees=tuple(Patentee(p.name, p.uscc, p.share, p.party_type) for p in event.patentees),
        terms_version=event.terms_version,
        terms=mapping.terms(event.terms),
        announced_at=event.announced_at,
    )
    await declarations.record_publication(
        uow, RecordPublication(event.declaration_id, event.application_number, publication)
    )


@router.on(DeclarationWithdrawn)
async def on_declaration_withdrawn(
    event: DeclarationWithdrawn, _: EventContext, uow: UnitOfWork
) -> None:
    await declarations.record_change(
        uow, RecordWithdrawal(event.declaration_id, event.application_number, event.effective_at)
    )


@router.on(DeclarationLapsed)
async def on_declaration_lapsed(event: DeclarationLapsed, _: EventContext, uow: UnitOfWork) -> None:
    await declarations.record_change(
        uow,
        RecordEnd(
            event.declaration_id,
            event.application_number,
            DeclarationStatus.LAPSED,
            event.effective_at,
        ),
    )


@router.on(DeclarationExpired)
async def on_declaration_expired(
    event: DeclarationExpired, _: EventContext, uow: UnitOfWork
) -> None:
    await declarations.record_change(
        uow,
        RecordEnd(
            event.declaration_id,
            event.application_number,
            DeclarationStatus.EXPIRED,
            event.effective_at,
        ),
    )


@router.on(DeclarationSuspended)
async def on_declaration_suspended(
    event: DeclarationSuspended, _: EventContext, uow: UnitOfWork
) -> None:
    await declarations.record_change(
        uow,
        RecordSuspension(event.declaration_id, event.application_number, True, event.effective_at),
    )


@router.on(DeclarationReinstated)
async def on_declaration_reinstated(
    event: DeclarationReinstated, _: EventContext, uow: UnitOfWork
) -> None:
    await declarations.record_change(
        uow,
        RecordSuspension(event.declaration_id, event.application_number, False, event.effective_at),
    )


@router.on(PatentStatusChanged)
async def on_patent_status_changed(
    event: PatentStatusChanged, ctx: EventContext, uow: UnitOfWork
) -> None:
    await catalogue.change_patent_status(
        uow,
        ChangePatentStatus(
            event.application_number,
            PatentStatus(
                event.legal_status,
                event.annual_fee_status,
                event.suspended,
                event.under_preservation,
            ),
            # Listing stamps its events when it makes the change they report.
            as_of=ctx.event.time,
        ),
    )


def _patentees(refs: list[PatenteeRef]) -> tuple[Patentee, ...]:
    return tuple(Patentee(p.name, p.uscc, p.share, p.party_type) for p in refs)


def _restatement(event: PatentRegistered, as_of: datetime) -> RestatePatent:
    return RestatePatent(
        event.application_number,
        PatentFacts(event.patent_number, event.patent_type, event.title, event.expiry_date),
        _patentees(event.patentees),
        PatentStatus(
            event.legal_status, event.annual_fee_status, event.suspended, event.under_preservation
        ),
        as_of=as_of,
    )


@router.on(PatentRegistered)
async def on_patent_registered(event: PatentRegistered, ctx: EventContext, uow: UnitOfWork) -> None:
    await catalogue.restate_patent(uow, _restatement(event, ctx.event.time))


@router.on(PatentRestated)
async def on_patent_restated(event: PatentRestated, _: EventContext, uow: UnitOfWork) -> None:
    """Fills the view for patents registered before license knew of them; never
    overwrites a later live change (domain.catalogue)."""
    await catalogue.restate_patent(uow, _restatement(event, event.as_of))


@router.on(PatentOwnerChanged)
async def on_patent_owner_changed(
    event: PatentOwnerChanged, ctx: EventContext, uow: UnitOfWork
) -> None:
    await catalogue.change_owner(
        uow, ChangeOwner(event.application_number, _patentees(event.patentees), ctx.event.time)
    )


@router.on(PledgeRegistered)
async def on_pledge_registered(event: PledgeRegistered, _: EventContext, uow: UnitOfWork) -> None:
    await pledges.record_pledge(
        uow,
        RecordPledge(
            pledge_id=event.pledge_id,
            application_numbers=tuple(event.application_numbers),
            pledgee_name=event.pledgee.name,
            pledgee_org_id=event.pledgee.org_id,
            open_license_consented=event.open_license_consented,
            registered_on=event.registered_on,
        ),
    )


@router.on(PledgeCancelled)
async def on_pledge_cancelled(event: PledgeCancelled, _: EventContext, uow: UnitOfWork) -> None:
    await pledges.release_pledge(
        uow,
        ReleasePledge(event.pledge_id, tuple(event.application_numbers), event.cancelled_on),
    )


@router.on(PledgeeConsentRecorded)
async def on_pledgee_consent_recorded(
    event: PledgeeConsentRecorded, _: EventContext, uow: UnitOfWork
) -> None:
    await pledges.record_pledgee_consent(
        uow,
        RecordPledgeeConsent(
            pledge_id=event.pledge_id,
            application_numbers=tuple(event.application_numbers),
            subject=event.consent_to,
            counterparty_uscc=event.counterparty_uscc,
            pledgee_name=event.pledgee.name,
            recorded_on=event.recorded_on,
        ),
    )


# The patent office's outcomes of the recordals registry-sync submits; the manual
# endpoints stay for filings made outside the platform. A conflicting number or an
# unknown licence or deal fails the handler: the event is dead-lettered with the reason.


@router.on(LicenseFilingRegistered)
async def on_license_filing_registered(
    event: LicenseFilingRegistered, _: EventContext, uow: UnitOfWork
) -> None:
    await filing.record_office_filing(
        uow, RecordOfficeFiling(event.license_id, event.filing_number, event.filed_on)
    )


@router.on(TransferRegistrationRecorded)
async def on_transfer_registration_recorded(
    event: TransferRegistrationRecorded, _: EventContext, uow: UnitOfWork
) -> None:
    await contracts.record_office_recordal(
        uow, RecordOfficeRecordal(event.deal_id, event.recordal_number, event.recorded_on)
    )
