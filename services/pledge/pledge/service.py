"""Pledge use cases. Services never commit; the caller's unit of work does."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from pledge.api import schemas
from pledge.domain.errors import NotAParty, PatentUnknown
from pledge.domain.pledge import CancellationReason, PledgeStatus, cancellation, transition
from pledge.domain.precheck import (
    PatentView,
    PledgeTerms,
    check_open_license_consent,
    check_remaining_term,
    precheck,
)
from pledge.models import LicenseViewRecord, PatentViewRecord, PledgeRecord
from pledge.publishing import BankTopics, emit_pledge_event
from pledge.repository import PledgeRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import today_in_shanghai
from shared.errors import NotFound
from shared.events.schemas import (
    ConsentSubject,
    DeclarationExpired,
    DeclarationLapsed,
    DeclarationPublished,
    DeclarationWithdrawn,
    LicenseGranted,
    OrgRef,
    PatentOwnerChanged,
    PatentRegistered,
    PatentStatusChanged,
    PledgeCancelled,
    PledgePatentLapsed,
    PledgeRegistered,
    PledgeReinstated,
    PledgeSubmitted,
    PledgeSuspended,
)

log = logging.getLogger(__name__)

# -- pledges ------------------------------------------------------------------------------


async def apply(
    uow: UnitOfWork, principal: Principal, body: schemas.PledgeCreate, bank_topics: BankTopics
) -> PledgeRecord:
    numbers = sorted(set(body.application_numbers))
    terms = PledgeTerms(
        pledgor_uscc=principal.uscc,
        debt_term_end=body.debt_term_end,
        has_forfeiture_clause=body.has_forfeiture_clause,
        co_owner_consents=frozenset(body.co_owner_consents),
    )
    repo = PledgeRepository(uow.session)
    if body.submit:
        views = views_of(await repo.patent_views(numbers))
        precheck(numbers, views, terms, await repo.pledged_numbers(numbers))
        await _check_bank_policy(repo, body.pledgee.org_id, numbers, views)
        status = transition(PledgeStatus.DRAFT, PledgeStatus.SUBMITTED)
    else:
        status = PledgeStatus.DRAFT
    pledge = PledgeRecord(
        id=str(uuid.uuid4()),
        status=status.value,
        pledgor_org_id=principal.org_id,
        pledgor_name=principal.org_name,
        pledgor_uscc=principal.uscc,
        pledgee_org_id=body.pledgee.org_id,
        pledgee_name=body.pledgee.name,
        pledgee_uscc=body.pledgee.uscc,
        secured_amount=body.secured_amount.amount,
        currency=body.secured_amount.currency,
        debt_term_end=body.debt_term_end,
        has_forfeiture_clause=body.has_forfeiture_clause,
        co_owner_consents=list(body.co_owner_consents),
        application_numbers=numbers,
    )
    await repo.add_pledge(pledge)
    if body.submit:
        # Before anything commits: the relay must find the bank's topic in place.
        await bank_topics.ensure(uow, pledge.pledgee_org_id)
        emit_pledge_event(uow, pledge, submitted_event(pledge, resubmission=False))
    return pledge


async def submit(
    uow: UnitOfWork,
    principal: Principal,
    pledge_id: str,
    body: schemas.ResubmissionIn,
    bank_topics: BankTopics,
) -> PledgeRecord:
    """The pledgor submits a draft, or resubmits after a correction request, with any
    amendments; every pre-check rule and the bank's own rule run again."""
    repo = PledgeRepository(uow.session)
    pledge = await visible_pledge(repo, principal, pledge_id, for_update=True)
    if principal.org_id != pledge.pledgor_org_id:
        raise NotAParty("only the pledgor may submit or correct its application")
    previous = PledgeStatus(pledge.status)
    target = transition(previous, PledgeStatus.SUBMITTED)
    if body.secured_amount is not None:
        pledge.secured_amount = body.secured_amount.amount
    if body.debt_term_end is not None:
        pledge.debt_term_end = body.debt_term_end
    if body.co_owner_consents is not None:
        pledge.co_owner_consents = list(body.co_owner_consents)
    views = views_of(await repo.patent_views(pledge.application_numbers))
    pledged = await repo.pledged_numbers(pledge.application_numbers, excluding=pledge.id)
    precheck(pledge.application_numbers, views, terms_of(pledge), pledged)
    await _check_bank_policy(repo, pledge.pledgee_org_id, pledge.application_numbers, views)
    await bank_topics.ensure(uow, pledge.pledgee_org_id)
    pledge.status = target.value
    pledge.correction_reason = None
    uow.session.add(pledge)
    resubmission = previous is not PledgeStatus.DRAFT
    emit_pledge_event(uow, pledge, submitted_event(pledge, resubmission=resubmission))
    return pledge


async def register(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.RegistrationIn
) -> PledgeRecord:
    """Record the office's registration. The patents' view rows are locked (in a fixed
    order) so two pledges racing for one patent end with exactly one registered."""
    repo = PledgeRepository(uow.session)
    pledge = await pledge_for_bank_action(repo, principal, pledge_id)
    target = transition(PledgeStatus(pledge.status), PledgeStatus.REGISTERED)
    views = await repo.patent_views(pledge.application_numbers, for_update=True)
    pledged = await repo.pledged_numbers(pledge.application_numbers, excluding=pledge.id)
    precheck(pledge.application_numbers, views_of(views), terms_of(pledge), pledged)
    consented = await repo.has_consent(pledge.id, ConsentSubject.OPEN_LICENSE)
    check_open_license_consent(await repo.declared_numbers(pledge.application_numbers), consented)
    pledge.status = target.value
    pledge.registration_number = body.registration_number
    pledge.registered_on = body.registered_on
    pledge.registered_at = datetime.now(UTC)
    pledge.approved_on = pledge.approved_on or body.registered_on
    uow.session.add(pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeRegistered(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            pledgor=pledgor_ref(pledge),
            pledgee=pledgee_ref(pledge),
            secured_amount=pledge.secured_amount,
            currency=pledge.currency,
            debt_term_end=pledge.debt_term_end,
            registration_number=pledge.registration_number,
            registered_on=body.registered_on,
            open_license_consented=consented,
        ),
    )
    return pledge


async def cancel(
    uow: UnitOfWork, principal: Principal, pledge_id: str, body: schemas.CancellationIn
) -> PledgeRecord:
    repo = PledgeRepository(uow.session)
    pledge = await pledge_for_bank_action(repo, principal, pledge_id)
    reason = CancellationReason(body.reason)
    pledge.status = cancellation(PledgeStatus(pledge.status), reason).value
    pledge.cancelled_on = body.cancelled_on
    pledge.cancellation_reason = reason.value
    uow.session.add(pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeCancelled(
            pledge_id=pledge.id,
            application_numbers=pledge.application_numbers,
            reason=reason.value,
            cancelled_on=body.cancelled_on,
        ),
    )
    return pledge


async def get(uow: UnitOfWork, principal: Principal, pledge_id: str) -> PledgeRecord:
    return await visible_pledge(PledgeRepository(uow.session), principal, pledge_id)


async def list_pledges(
    uow: UnitOfWork, principal: Principal, *, limit: int, after: tuple[datetime, str] | None
) -> list[PledgeRecord]:
    org = None if principal.org_type is OrgType.OPERATOR else principal.org_id
    return await PledgeRepository(uow.session).list_pledges(limit=limit, after=after, org_id=org)


async def pledge_for_bank_action(
    repo: PledgeRepository, principal: Principal, pledge_id: str
) -> PledgeRecord:
    """The pledge, row-locked, if the caller is its pledgee bank or the operator."""
    pledge = await visible_pledge(repo, principal, pledge_id, for_update=True)
    if principal.org_type is not OrgType.OPERATOR and principal.org_id != pledge.pledgee_org_id:
        raise NotAParty("only the pledgee bank or the operator may do this")
    return pledge


def pledge_not_found(pledge_id: str) -> NotFound:
    return NotFound(f"pledge {pledge_id} does not exist")


def may_see(pledge: PledgeRecord, principal: Principal) -> bool:
    """The pledgor, the pledgee bank and the operator may know a pledge exists; a draft
    is the pledgor's own until submitted, so its bank does not see it yet."""
    if principal.org_type is OrgType.OPERATOR or principal.org_id == pledge.pledgor_org_id:
        return True
    return principal.org_id == pledge.pledgee_org_id and pledge.status != PledgeStatus.DRAFT


async def visible_pledge(
    repo: PledgeRepository, principal: Principal, pledge_id: str, *, for_update: bool = False
) -> PledgeRecord:
    """The pledge, if the caller may know it exists; otherwise the very 404 of an id that
    does not exist, so another bank cannot probe pledge ids. A caller who sees the pledge
    but may not do what it asks gets 403 from the use case."""
    pledge = await repo.get_pledge(pledge_id, for_update=for_update)
    if pledge is None or not may_see(pledge, principal):
        raise pledge_not_found(pledge_id)
    return pledge


async def _check_bank_policy(
    repo: PledgeRepository, bank_org_id: str, numbers: list[str], views: dict[str, PatentView]
) -> None:
    policy = await repo.bank_policy(bank_org_id)
    if policy is not None:
        check_remaining_term(numbers, views, policy.min_remaining_term_years, today_in_shanghai())


def terms_of(pledge: PledgeRecord) -> PledgeTerms:
    return PledgeTerms(
        pledgor_uscc=pledge.pledgor_uscc,
        debt_term_end=pledge.debt_term_end,
        has_forfeiture_clause=pledge.has_forfeiture_clause,
        co_owner_consents=frozenset(pledge.co_owner_consents),
    )


def pledgor_ref(pledge: PledgeRecord) -> OrgRef:
    return OrgRef(org_id=pledge.pledgor_org_id, name=pledge.pledgor_name, uscc=pledge.pledgor_uscc)


def pledgee_ref(pledge: PledgeRecord) -> OrgRef:
    return OrgRef(org_id=pledge.pledgee_org_id, name=pledge.pledgee_name, uscc=pledge.pledgee_uscc)


def submitted_event(pledge: PledgeRecord, *, resubmission: bool) -> PledgeSubmitted:
    return PledgeSubmitted(
        pledge_id=pledge.id,
        application_numbers=pledge.application_numbers,
        pledgor=pledgor_ref(pledge),
        pledgee=pledgee_ref(pledge),
        secured_amount=pledge.secured_amount,
        currency=pledge.currency,
        debt_term_end=pledge.debt_term_end,
        resubmission=resubmission,
    )


def views_of(records: dict[str, PatentViewRecord]) -> dict[str, PatentView]:
    return {
        number: PatentView(
            application_number=r.application_number,
            title=r.title,
            patentee_usccs=tuple(p["uscc"] for p in r.patentees if p.get("uscc")),
            expiry_date=r.expiry_date,
            legal_status=r.legal_status,
            annual_fee_status=r.annual_fee_status,
            suspended=r.suspended,
            under_preservation=r.under_preservation,
        )
        for number, r in records.items()
    }


# -- views, from other services' events ----------------------------------------------------


async def on_patent_registered(uow: UnitOfWork, event: PatentRegistered) -> None:
    await PledgeRepository(uow.session).upsert_patent_view(
        {
            "application_number": event.application_number,
            "patent_type": event.patent_type,
            "title": event.title,
            "patentees": [p.model_dump(mode="json") for p in event.patentees],
            "expiry_date": event.expiry_date,
            "legal_status": event.legal_status,
            "annual_fee_status": event.annual_fee_status,
            "suspended": event.suspended,
            "under_preservation": event.under_preservation,
            "ipc_codes": list(event.ipc_codes),
        }
    )


async def on_patent_status_changed(uow: UnitOfWork, event: PatentStatusChanged) -> None:
    # Listing keys both events by the application number, so a status change never
    # arrives before the registration it follows; an unknown patent is a data error.
    found = await PledgeRepository(uow.session).update_patent_view(
        event.application_number,
        legal_status=event.legal_status,
        annual_fee_status=event.annual_fee_status,
        suspended=event.suspended,
        under_preservation=event.under_preservation,
        legal_event=True,
    )
    if not found:
        raise PatentUnknown(f"status change for unknown patent {event.application_number}")
    if event.legal_status in _LAPSED:
        await _pledges_lost_their_patent(uow, event)


# A registered pledge whose patent ends this way has lost its object (registered -> patent_lapsed).
_LAPSED = frozenset({"lapsed", "invalidated", "expired"})


async def _pledges_lost_their_patent(uow: UnitOfWork, event: PatentStatusChanged) -> None:
    repo = PledgeRepository(uow.session)
    for pledge in await repo.encumbering_pledges_of(event.application_number, for_update=True):
        if pledge.status != PledgeStatus.REGISTERED:
            # Defaulted pledges stay in their default handling; the bank decides there.
            continue
        pledge.status = transition(PledgeStatus.REGISTERED, PledgeStatus.PATENT_LAPSED).value
        uow.session.add(pledge)
        emit_pledge_event(
            uow,
            pledge,
            PledgePatentLapsed(
                pledge_id=pledge.id,
                application_numbers=pledge.application_numbers,
                lapsed_application_number=event.application_number,
                legal_status=event.legal_status,
            ),
        )


async def on_patent_owner_changed(uow: UnitOfWork, event: PatentOwnerChanged) -> None:
    found = await PledgeRepository(uow.session).update_patent_view(
        event.application_number, patentees=[p.model_dump(mode="json") for p in event.patentees]
    )
    if not found:
        raise PatentUnknown(f"owner change for unknown patent {event.application_number}")


async def on_declaration(
    uow: UnitOfWork,
    event: DeclarationPublished | DeclarationWithdrawn | DeclarationLapsed | DeclarationExpired,
    status: str,
) -> None:
    """Keep the declaration view: only an announced declaration blocks a registration
    without the pledgee's consent; a withdrawal, lapse or expiry ends it for good.

    Races are resolved by time: a registration recorded after a declaration that was
    announced without the pledgee's consent — but reached us only now — is suspended
    (the declaration took effect first); when the declaration ends, it is reinstated."""
    repo = PledgeRepository(uow.session)
    await repo.set_declaration_view(event.declaration_id, event.application_number, status)
    if isinstance(event, DeclarationPublished):
        await _suspend_later_registrations(uow, repo, event)
    elif status in ("withdrawn", "lapsed", "expired"):
        await _reinstate(uow, repo, event.application_number, event.declaration_id, status)


async def _suspend_later_registrations(
    uow: UnitOfWork, repo: PledgeRepository, event: DeclarationPublished
) -> None:
    for pledge in await repo.pledges_covering(
        event.application_number, [PledgeStatus.REGISTERED.value]
    ):
        if pledge.registered_at is None or pledge.registered_at <= event.announced_at:
            continue  # the pledge came first: listing suspends the declaration instead
        if await repo.has_consent(pledge.id, ConsentSubject.OPEN_LICENSE):
            continue
        pledge.status = transition(PledgeStatus(pledge.status), PledgeStatus.SUSPENDED).value
        pledge.suspended_by = event.declaration_id
        uow.session.add(pledge)
        emit_pledge_event(
            uow,
            pledge,
            PledgeSuspended(
                pledge_id=pledge.id,
                application_numbers=pledge.application_numbers,
                declaration_id=event.declaration_id,
                reason=(
                    f"open-licence declaration {event.declaration_id} on "
                    f"{event.application_number} was announced at "
                    f"{event.announced_at.isoformat()}, before this registration was "
                    "recorded, and the pledgee has not consented to an open licence"
                ),
            ),
        )


async def _reinstate(
    uow: UnitOfWork, repo: PledgeRepository, number: str, declaration_id: str, why: str
) -> None:
    for pledge in await repo.pledges_covering(number, [PledgeStatus.SUSPENDED.value]):
        if pledge.suspended_by != declaration_id:
            continue
        if await repo.declared_numbers(pledge.application_numbers):
            continue  # another declaration still stands on one of its patents
        reinstate_pledge(uow, pledge, f"declaration {declaration_id} {why}")


def reinstate_pledge(uow: UnitOfWork, pledge: PledgeRecord, reason: str) -> None:
    pledge.status = transition(PledgeStatus(pledge.status), PledgeStatus.REGISTERED).value
    pledge.suspended_by = None
    uow.session.add(pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeReinstated(
            pledge_id=pledge.id, application_numbers=pledge.application_numbers, reason=reason
        ),
    )


async def on_license_granted(uow: UnitOfWork, event: LicenseGranted) -> None:
    await PledgeRepository(uow.session).add_license_view(
        LicenseViewRecord(
            license_id=event.license_id,
            application_number=event.application_number,
            kind=event.kind.value,
            licensee_name=event.licensee.name,
            effective_date=event.effective_date,
            contract_value=event.contract_value,
        )
    )
