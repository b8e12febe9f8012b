"""The inbox's use cases: push pending matches, read the inbox, open a push."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from matching.domain.errors import push_unknown
from matching.domain.inbox import (
    PUSH_WINDOW,
    Push,
    PushCandidate,
    Recipient,
    choose_pushes,
    room_in_window,
)
from matching.pushes import queries
from matching.pushes.commands import OpenPush, PushPending, ReadInbox
from matching.pushes.repository import PushRepository
from shared.db.uow import UnitOfWork
from shared.events.schemas import MatchPushed, OrgRef, PushOpened


async def push_pending(uow: UnitOfWork, command: PushPending) -> int:
    """One batch of the pusher: up to ``command.enterprises`` enterprises (locked, so
    another instance's pusher takes others), each pushed its best pending matches within
    the weekly cap. Returns how many enterprises it served."""
    now = uow.clock.now()
    pushes = PushRepository(uow.session)
    recipients = await pushes.take_recipients(command.enterprises, command.cap, now - PUSH_WINDOW)
    for recipient in recipients:
        pushed_at = await pushes.pushed_since(recipient.uscc, now - PUSH_WINDOW)
        room = room_in_window(pushed_at, now, command.cap)
        candidates = await pushes.pending_matches(recipient.uscc, room)
        await deliver(uow, pushes, recipient, candidates, room=room, now=now)
    return len(recipients)


async def deliver(
    uow: UnitOfWork,
    pushes: PushRepository,
    recipient: Recipient,
    candidates: Sequence[PushCandidate],
    *,
    room: int,
    now: datetime,
    campaign_id: str | None = None,
) -> list[Push]:
    """Push what the rules choose among ``candidates``: each push is stored with its
    explanation and announced (``MatchPushed``) in this unit of work."""
    revisions = await pushes.pushed_revisions(
        recipient.uscc, [c.application_number for c in candidates]
    )
    chosen = choose_pushes(recipient, candidates, pushed_revisions=revisions, room=room)
    delivered = []
    for candidate in chosen:
        push = Push.of(recipient, candidate, now, campaign_id)
        await pushes.add(push)
        uow.emit(_pushed(push, recipient, candidate))
        delivered.append(push)
    return delivered


def _pushed(push: Push, recipient: Recipient, candidate: PushCandidate) -> MatchPushed:
    institution = (
        None
        if candidate.institution_name is None
        else OrgRef(
            org_id=candidate.institution_org_id,
            name=candidate.institution_name,
            uscc=candidate.institution_uscc,
        )
    )
    return MatchPushed(
        push_id=push.push_id,
        application_number=push.application_number,
        enterprise=_enterprise(recipient.org_id, recipient.name, recipient.uscc),
        institution=institution,
        score=push.score,
        weights_version=push.weights_version,
        industry_codes=list(candidate.industry_codes),
        campaign_id=push.campaign_id,
        pushed_at=push.pushed_at,
    )


def _enterprise(org_id: str | None, name: str, uscc: str) -> OrgRef:
    return OrgRef(org_id=org_id, name=name, uscc=uscc)


async def read_inbox(uow: UnitOfWork, command: ReadInbox) -> list[queries.InboxEntry]:
    """A page of the enterprise's inbox; reading the list opens nothing."""
    return await queries.inbox_page(
        uow.session,
        command.enterprise_uscc,
        unopened=command.unopened,
        limit=command.limit,
        after=command.after,
    )


async def open_push(uow: UnitOfWork, command: OpenPush) -> queries.InboxEntry:
    """One push of the enterprise's inbox; the first read opens it (``PushOpened``).
    A push that reached another enterprise is unknown here."""
    pushes = PushRepository(uow.session)
    push = await pushes.get_for_update(command.push_id, command.enterprise_uscc)
    if push is None:
        raise push_unknown(command.push_id)
    if push.open(uow.clock.now()):
        assert push.opened_at is not None
        await pushes.save_opened(push)
        uow.emit(
            PushOpened(
                push_id=push.push_id,
                application_number=push.application_number,
                enterprise=_enterprise(
                    command.enterprise_org_id, command.enterprise_name, command.enterprise_uscc
                ),
                campaign_id=push.campaign_id,
                opened_at=push.opened_at,
            )
        )
    entry = await queries.inbox_entry(uow.session, command.enterprise_uscc, command.push_id)
    assert entry is not None
    return entry
