"""Listing's Kafka handlers: keep the encumbrance view from pledge and license events,
change the owner on transfers recorded (license's deals), learn every licence taken
(funding), and take enterprises' feedback from matching (it moves inventoried patents'
tiers)."""

from __future__ import annotations

from decimal import Decimal

from listing.catalogue import service as catalogue
from listing.catalogue.commands import ApplyOfficeStatus, RecordTransfer
from listing.domain.encumbrance import EncumbranceKind
from listing.domain.patent import PartyType, Patentee
from listing.encumbrances import service as encumbrances
from listing.encumbrances.commands import (
    RecordExclusiveLicense,
    RecordPledge,
    RecordPledgeeConsent,
    ReleaseExclusiveLicense,
    ReleasePledge,
)
from listing.funding import service as funding
from listing.funding.commands import RecordLicenseTaken
from listing.history import service as history
from listing.history.commands import HistoryEvent, RecordHistory
from listing.inventory import service as inventory
from listing.inventory.commands import RecordMatchFeedback
from listing.restrictions import service as restrictions
from listing.restrictions.commands import ImposeRestriction, LiftRestriction
from shared.db.uow import UnitOfWork
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.events.schemas import (
    CreditRestrictionImposed,
    CreditRestrictionLifted,
    LicenseEnded,
    LicenseGranted,
    LicenseKind,
    MatchFeedbackRecorded,
    PatentLegalStatusReported,
    PledgeCancelled,
    PledgedPatentsTransferred,
    PledgeeConsentRecorded,
    PledgeRegistered,
    TransferRecorded,
)
from shared.messaging.consumer import EventContext, EventRouter

GROUP_ID = "ipmarket-listing"
router = EventRouter()


@router.on(PledgeRegistered)
async def on_pledge_registered(event: PledgeRegistered, ctx: EventContext, uow: UnitOfWork) -> None:
    await encumbrances.record_pledge(
        uow,
        RecordPledge(
            pledge_id=event.pledge_id,
            application_numbers=tuple(event.application_numbers),
            pledgee=event.pledgee.name,
            registered_on=event.registered_on,
            open_license_consented=event.open_license_consented,
            registered_at=ctx.event.time,
        ),
    )


@router.on(PledgeeConsentRecorded)
async def on_pledgee_consent(
    event: PledgeeConsentRecorded, _: EventContext, uow: UnitOfWork
) -> None:
    await encumbrances.record_pledgee_consent(
        uow,
        RecordPledgeeConsent(
            pledge_id=event.pledge_id,
            application_numbers=tuple(event.application_numbers),
            pledgee=event.pledgee.name,
            consent_to=event.consent_to,
            counterparty_uscc=event.counterparty_uscc,
            recorded_on=event.recorded_on,
        ),
    )


@router.on(PledgedPatentsTransferred)
async def on_disposal_transfer(
    event: PledgedPatentsTransferred, _: EventContext, uow: UnitOfWork
) -> None:
    """A defaulted pledge was realised by selling the patents: the buyer owns them."""
    buyer = event.buyer
    new_owner = Patentee(buyer.name, buyer.uscc, Decimal("100"), PartyType(buyer.party_type))
    for number in event.application_numbers:
        await catalogue.record_transfer(
            uow,
            RecordTransfer(
                application_number=number,
                patentees=(new_owner,),
                transfer_reference=f"pledge {event.pledge_id} disposal ({event.method})",
                effective_date=event.transferred_on,
                disposal_of=event.pledge_id,
            ),
        )


@router.on(TransferRecorded)
async def on_transfer_recorded(event: TransferRecorded, _: EventContext, uow: UnitOfWork) -> None:
    """The patent office recorded a transfer negotiated in license: the transferees own
    the patent (license checked the pledgee's consent before the contract was signed)."""
    await catalogue.record_transfer(
        uow,
        RecordTransfer(
            application_number=event.application_number,
            patentees=tuple(
                Patentee(t.name, t.uscc, t.share, PartyType(t.party_type))
                for t in event.transferees
            ),
            transfer_reference=f"deal {event.deal_id} (recordal {event.recordal_number})",
            effective_date=event.recorded_on,
            consents_checked=True,
        ),
    )


@router.on(PatentLegalStatusReported)
async def on_legal_status_reported(
    event: PatentLegalStatusReported, _: EventContext, uow: UnitOfWork
) -> None:
    """The patent office's legal-status feed (registry-sync): an unknown patent or event
    fails the handler, so the event ends in the dead-letter topic with the reason."""
    await catalogue.apply_office_status(
        uow,
        ApplyOfficeStatus(
            application_number=event.application_number,
            office_event=event.status_event,
            effective_on=event.effective_on,
            sequence=event.sequence,
        ),
    )


@router.on(PledgeCancelled)
async def on_pledge_cancelled(event: PledgeCancelled, _: EventContext, uow: UnitOfWork) -> None:
    await encumbrances.release_pledge(
        uow, ReleasePledge(event.pledge_id, tuple(event.application_numbers))
    )


_ENCUMBERING_KINDS = {
    LicenseKind.EXCLUSIVE: EncumbranceKind.EXCLUSIVE_LICENSE,
    LicenseKind.SOLE: EncumbranceKind.SOLE_LICENSE,
}


@router.on(LicenseGranted)
async def on_license_granted(event: LicenseGranted, ctx: EventContext, uow: UnitOfWork) -> None:
    """Every licence exploits the patent (funding); exclusive and sole ones also
    encumber it."""
    await funding.record_license_taken(
        uow,
        RecordLicenseTaken(event.license_id, event.application_number, event.effective_date),
    )
    kind = _ENCUMBERING_KINDS.get(event.kind)
    if kind is None:
        return  # ordinary licences do not block a declaration
    await encumbrances.record_exclusive_license(
        uow,
        RecordExclusiveLicense(
            license_id=event.license_id,
            application_number=event.application_number,
            kind=kind,
            licensee=event.licensee.name,
            effective_from=event.effective_date,
            granted_at=ctx.event.time,
        ),
    )


@router.on(LicenseEnded)
async def on_license_ended(event: LicenseEnded, _: EventContext, uow: UnitOfWork) -> None:
    """An exclusive or sole licence that ended releases the patent (license keys both
    events by the application number: the end never overtakes the grant)."""
    kind = _ENCUMBERING_KINDS.get(event.kind)
    if kind is None:
        return
    await encumbrances.release_exclusive_license(
        uow,
        ReleaseExclusiveLicense(
            license_id=event.license_id,
            application_number=event.application_number,
            kind=kind,
            reason=event.reason,
            ended_on=event.ended_on,
        ),
    )


@router.on(CreditRestrictionImposed)
async def on_credit_restriction_imposed(
    event: CreditRestrictionImposed, _: EventContext, uow: UnitOfWork
) -> None:
    """A credit record took effect in license: its party is restricted here."""
    if event.party.uscc is None:
        return  # license names every credit record's party by USCC; nothing to key on
    await restrictions.impose(
        uow,
        ImposeRestriction(
            record_id=event.record_id,
            party_uscc=event.party.uscc,
            party_name=event.party.name,
            restricted_from=event.restricted_from,
            restricted_until=event.restricted_until,
        ),
    )


@router.on(CreditRestrictionLifted)
async def on_credit_restriction_lifted(
    event: CreditRestrictionLifted, _: EventContext, uow: UnitOfWork
) -> None:
    if event.party.uscc is None:
        return  # license names every credit record's party by USCC; nothing to key on
    await restrictions.lift(
        uow, LiftRestriction(event.record_id, event.party.uscc, event.party.name)
    )


@router.on(MatchFeedbackRecorded)
async def on_match_feedback(event: MatchFeedbackRecorded, _: EventContext, uow: UnitOfWork) -> None:
    """The topic is created when listing starts (it subscribes), so the consumer waits on
    it quietly until the matching service publishes."""
    await inventory.record_match_feedback(
        uow,
        RecordMatchFeedback(
            feedback_id=event.feedback_id,
            application_number=event.application_number,
            enterprise_uscc=event.enterprise.uscc,
            will_implement=event.will_implement,
            wants_cooperation=event.wants_cooperation,
            market_evaluation=event.market_evaluation,
            recorded_at=event.recorded_at,
        ),
    )


# Every event that names a patent joins its history (a group of its own, so it sees the
# events the handlers above take as well).
TIMELINE_GROUP_ID = "ipmarket-listing-timeline"
timeline_router = EventRouter()


async def on_events(events: list[tuple[CloudEvent, EventContext]], uow: UnitOfWork) -> None:
    await history.record_history(
        uow,
        RecordHistory(
            tuple(
                HistoryEvent(
                    event.id, event.type, event.source, event.time, event.actor, event.data
                )
                for event, _ in events
            )
        ),
    )


for _topic in (topics.LISTING, topics.LICENSE, topics.PLEDGE, topics.REGISTRY):
    timeline_router.on_any_batch(_topic)(on_events)
