"""Legal-status use cases. Services never commit; the caller's unit of work does."""

from __future__ import annotations

from registry_sync.domain.legal_status import entries_to_apply
from registry_sync.legal_status.commands import ApplyLegalStatus
from registry_sync.legal_status.repository import FeedPositionRepository
from shared.db.uow import UnitOfWork
from shared.events.schemas import PatentLegalStatusReported

PATENT_OFFICE_FEED = "patent-office"


async def feed_position(uow: UnitOfWork, feed: str) -> int:
    return await FeedPositionRepository(uow.session).get(feed)


async def apply_legal_status(uow: UnitOfWork, command: ApplyLegalStatus) -> int:
    """Publish each entry after the position once, and move the position in the same
    transaction; entries another instance applied meanwhile, or the feed repeated, are
    skipped. Returns how many were published."""
    repo = FeedPositionRepository(uow.session)
    position = await repo.locked(command.feed, uow.clock.now())
    assert position is not None  # waited for the row
    entries = entries_to_apply(position, command.entries)
    for entry in entries:
        uow.emit(
            PatentLegalStatusReported(
                application_number=entry.application_number,
                status_event=entry.event.value,
                effective_on=entry.effective_on,
                announced_on=entry.announced_on,
                sequence=entry.sequence,
            )
        )
    if entries:
        await repo.advance(command.feed, entries[-1].sequence, uow.clock.now())
    return len(entries)
