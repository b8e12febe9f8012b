"""Pledge applications and registrations: apply, submit, register, cancel, read.

Also what every other area uses to act on a pledge: loading it as its party
(:func:`visible_pledge`, :func:`pledge_for_bank_action`) and staging its events for the
internal and the bank's topic (:func:`emit_pledge_event`). Services never commit; the
caller's unit of work does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from pledge.adapters.bank_topics import BankTopics
from pledge.banks.repository import BankRepository
from pledge.domain.errors import NotAParty
from pledge.domain.pledge import Pledge, PledgeStatus, transition
from pledge.domain.precheck import (
    PatentView,
    PledgeTerms,
    check_no_transfer_agreed,
    check_open_license_consent,
    check_remaining_term,
    precheck,
)
from pledge.pledges.commands import ApplyForPledge, CancelPledge, RegisterPledge, SubmitPledge
from pledge.repository import PledgeRepository, ViewRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain.terms import ConsentSubject
from shared.errors import NotFound
from shared.events.schemas import (
    EventData,
    OrgRef,
    PledgeCancelled,
    PledgeRegistered,
    PledgeReinstated,
    PledgeSubmitted,
)
from shared.events.topics import bank_pledge_topic


def emit_pledge_event(uow: UnitOfWork, pledge: Pledge, event: EventData) -> str:
    """Stage ``event`` for the internal topic and for the pledgee bank's topic.

    Each event is staged twice in the same unit of work with one CloudEvents id: once on
    ``ipmarket.pledge.v1`` (listing, license, webhooks consume it) and once on
    ``ipmarket.pledge.bank.<org>.v1``, the only topic the bank's ACLs let it read. Both
    outbox rows commit with the state change, and the relay ships them in commit order,
    so a bank sees its pledges' whole life in order on its own topic.
    """
    event_id = uow.emit(event)
    uow.emit(event, topic=bank_pledge_topic(pledge.pledgee_org_id), event_id=event_id)
    return event_id


# -- use cases ------------------------------------------------------------------------------


async def apply(
    uow: UnitOfWork, principal: Principal, command: ApplyForPledge, bank_topics: BankTopics
) -> Pledge:
    numbers = sorted(set(command.application_numbers))
    terms = PledgeTerms(
        pledgor_uscc=principal.uscc,
        debt_term_end=command.debt_term_end,
        has_forfeiture_clause=command.has_forfeiture_clause,
        co_owner_consents=frozenset(command.co_owner_consents),
    )
    pledges = PledgeRepository(uow.session)
    if command.submit:
        views = await ViewRepository(uow.session).patents(numbers)
        precheck(numbers, views, terms, await pledges.pledged_numbers(numbers))
        await check_bank_policy(uow, command.pledgee.org_id, numbers, views)
        status = transition(PledgeStatus.DRAFT, PledgeStatus.SUBMITTED)
    else:
        status = PledgeStatus.DRAFT
    pledge = Pledge(
        id=str(uuid.uuid4()),
        status=status,
        pledgor_org_id=principal.org_id,
        pledgor_name=principal.org_name,
        pledgor_uscc=principal.uscc,
        pledgee_org_id=command.pledgee.org_id,
        pledgee_name=command.pledgee.name,
        pledgee_uscc=command.pledgee.uscc,
        secured_amount=command.secured_amount,
        currency=command.currency,
        debt_term_end=command.debt_term_end,
        has_forfeiture_clause=command.has_forfeiture_clause,
        co_owner_consents=list(command.co_owner_consents),
        application_numbers=numbers,
        created_at=uow.clock.now(),
    )
    await pledges.add(pledge)
    if command.submit:
        # Before anything commits: the relay must find the bank's topic in place.
        await bank_topics.ensure(uow, pledge.pledgee_org_id)
        emit_pledge_event(uow, pledge, submitted_event(pledge, resubmission=False))
    return pledge


async def submit(
    uow: UnitOfWork, principal: Principal, command: SubmitPledge, bank_topics: BankTopics
) -> Pledge:
    """The pledgor submits a draft, or resubmits after a correction request, with any
    amendments; every pre-check rule and the bank's own rule run again."""
    pledges = PledgeRepository(uow.session)
    pledge = await visible_pledge(pledges, principal, command.pledge_id, for_update=True)
    if principal.org_id != pledge.pledgor_org_id:
        raise NotAParty("only the pledgor may submit or correct its application")
    previous = pledge.status
    target = transition(previous, PledgeStatus.SUBMITTED)
    if command.secured_amount is not None:
        pledge.secured_amount = command.secured_amount
    if command.debt_term_end is not None:
        pledge.debt_term_end = command.debt_term_end
    if command.co_owner_consents is not None:
        pledge.co_owner_consents = list(command.co_owner_consents)
    numbers = pledge.application_numbers
    views = await ViewRepository(uow.session).patents(numbers)
    pledged = await pledges.pledged_numbers(numbers, excluding=pledge.id)
    precheck(numbers, views, pledge.terms(), pledged)
    await check_bank_policy(uow, pledge.pledgee_org_id, numbers, views)
    await bank_topics.ensure(uow, pledge.pledgee_org_id)
    pledge.status = target
    pledge.correction_reason = None
    await pledges.save(pledge)
    resubmission = previous is not PledgeStatus.DRAFT
    emit_pledge_event(uow, pledge, submitted_event(pledge, resubmission=resubmission))
    return pledge


async def register(uow: UnitOfWork, principal: Principal, command: RegisterPledge) -> Pledge:
    """Record the office's registration. The patents' view rows are locked (in a fixed
    order) so two pledges racing for one patent end with exactly one registered."""
    pledges, views_repo = PledgeRepository(uow.session), ViewRepository(uow.session)
    pledge = await pledge_for_bank_action(pledges, principal, command.pledge_id)
    transition(pledge.status, PledgeStatus.REGISTERED)
    numbers = pledge.application_numbers
    views = await views_repo.patents(numbers, for_update=True)
    pledged = await pledges.pledged_numbers(numbers, excluding=pledge.id)
    precheck(numbers, views, pledge.terms(), pledged)
    check_no_transfer_agreed(await views_repo.transfers_agreed(numbers))
    consented = await pledges.has_consent(pledge.id, ConsentSubject.OPEN_LICENSE)
    check_open_license_consent(await views_repo.declared_numbers(numbers), consented)
    pledge.register(command.registration_number, command.registered_on, uow.clock.now())
    await pledges.save(pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeRegistered(
            **event_terms(pledge),
            registration_number=command.registration_number,
            registered_on=command.registered_on,
            open_license_consented=consented,
        ),
    )
    return pledge


async def cancel(uow: UnitOfWork, principal: Principal, command: CancelPledge) -> Pledge:
    def act(pledge: Pledge) -> EventData:
        pledge.cancel(command.reason, command.cancelled_on)
        return PledgeCancelled(
            **about(pledge), reason=command.reason.value, cancelled_on=command.cancelled_on
        )

    return await act_as_bank(uow, principal, command.pledge_id, act)


async def get(uow: UnitOfWork, principal: Principal, pledge_id: str) -> Pledge:
    return await visible_pledge(PledgeRepository(uow.session), principal, pledge_id)


async def list_pledges(
    uow: UnitOfWork, principal: Principal, *, limit: int, after: tuple[datetime, str] | None
) -> list[Pledge]:
    org = None if principal.org_type is OrgType.OPERATOR else principal.org_id
    return await PledgeRepository(uow.session).page(limit=limit, after=after, org_id=org)


# -- loading a pledge as one of its parties ---------------------------------------------------


async def visible_pledge(
    pledges: PledgeRepository, principal: Principal, pledge_id: str, *, for_update: bool = False
) -> Pledge:
    """The pledge, if the caller may know it exists; otherwise the very 404 of an id that
    does not exist, so another bank cannot probe pledge ids. A caller who sees the pledge
    but may not do what it asks gets 403 from the use case."""
    if for_update:
        pledge = await pledges.get_for_update(pledge_id)
    else:
        pledge = await pledges.get(pledge_id)
    if pledge is None or not may_see(pledge, principal):
        raise NotFound(f"pledge {pledge_id} does not exist")
    return pledge


def may_see(pledge: Pledge, principal: Principal) -> bool:
    return principal.org_type is OrgType.OPERATOR or pledge.visible_to(principal.org_id)


async def pledge_for_bank_action(
    pledges: PledgeRepository, principal: Principal, pledge_id: str
) -> Pledge:
    """The pledge, row-locked, if the caller is its pledgee bank or the operator."""
    pledge = await visible_pledge(pledges, principal, pledge_id, for_update=True)
    if principal.org_type is not OrgType.OPERATOR and principal.org_id != pledge.pledgee_org_id:
        raise NotAParty("only the pledgee bank or the operator may do this")
    return pledge


async def act_as_bank(
    uow: UnitOfWork,
    principal: Principal,
    pledge_id: str,
    act: Callable[[Pledge], EventData | tuple[EventData, ...]],
) -> Pledge:
    """The sequence of every bank action: load the pledge as its bank (locked), ``act``
    on it (the domain rule, returning the event or events that tell of it), save it,
    emit the events."""
    pledges = PledgeRepository(uow.session)
    pledge = await pledge_for_bank_action(pledges, principal, pledge_id)
    events = act(pledge)
    await pledges.save(pledge)
    for event in events if isinstance(events, tuple) else (events,):
        emit_pledge_event(uow, pledge, event)
    return pledge


async def check_bank_policy(
    uow: UnitOfWork, bank_org_id: str, numbers: list[str], views: dict[str, PatentView]
) -> None:
    """The pledgee bank's own rule, when it has a policy."""
    policy = await BankRepository(uow.session).policy(bank_org_id)
    if policy is not None:
        check_remaining_term(numbers, views, policy.min_remaining_term_years, uow.clock.today())


# -- what the events say about a pledge -------------------------------------------------------


def pledgor_ref(pledge: Pledge) -> OrgRef:
    return OrgRef(org_id=pledge.pledgor_org_id, name=pledge.pledgor_name, uscc=pledge.pledgor_uscc)


def pledgee_ref(pledge: Pledge) -> OrgRef:
    return OrgRef(org_id=pledge.pledgee_org_id, name=pledge.pledgee_name, uscc=pledge.pledgee_uscc)


def about(pledge: Pledge) -> dict[str, object]:
    """What every pledge event carries: which pledge, on which patents."""
    return {"pledge_id": pledge.id, "application_numbers": pledge.application_numbers}


def event_terms(pledge: Pledge) -> dict[str, object]:
    """The parties and terms that submitted, registered and changed events all carry."""
    return about(pledge) | {
        "pledgor": pledgor_ref(pledge),
        "pledgee": pledgee_ref(pledge),
        "secured_amount": pledge.secured_amount,
        "currency": pledge.currency,
        "debt_term_end": pledge.debt_term_end,
    }


def submitted_event(pledge: Pledge, *, resubmission: bool) -> PledgeSubmitted:
    return PledgeSubmitted(**event_terms(pledge), resubmission=resubmission)


async def reinstate_pledge(
    uow: UnitOfWork, pledges: PledgeRepository, pledge: Pledge, reason: str
) -> None:
    """A suspended pledge is registered again (the bank consented to the open licence, or
    the declaration that suspended it ended)."""
    pledge.reinstate()
    await pledges.save(pledge)
    emit_pledge_event(
        uow,
        pledge,
        PledgeReinstated(**about(pledge), reason=reason),
    )
