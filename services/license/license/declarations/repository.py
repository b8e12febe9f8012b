"""The declaration view, fed by listing's events, loaded and saved as domain objects
through ``license.mapping``."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from license import mapping
from license.domain.declaration import DeclarationView
from license.models import DeclarationViewRecord
from shared.clock import Clock
from shared.db.rows import loaded_row


class DeclarationRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def get(self, declaration_id: str, *, lock: str | None = None) -> DeclarationView | None:
        """``lock="update"`` for the consumers that change the view; ``lock="share"`` for
        acceptances, which then wait for a withdrawal in progress but not for each other."""
        query = select(DeclarationViewRecord).where(
            DeclarationViewRecord.declaration_id == declaration_id
        )
        if lock == "update":
            query = query.with_for_update()
        elif lock == "share":
            query = query.with_for_update(read=True)
        record = (await self.session.execute(query)).scalar_one_or_none()
        return mapping.declaration_view(record) if record else None

    async def add(self, view: DeclarationView) -> None:
        # A concurrent insert of the same declaration fails here; the consumer retries
        # the event and then finds the row.
        self.session.add(mapping.declaration_view_record(view, self.clock.now()))
        await self.session.flush()

    async def save(self, view: DeclarationView) -> None:
        """Save a view loaded by :meth:`get` in this unit of work."""
        record = await loaded_row(self.session, DeclarationViewRecord, view.declaration_id)
        assert record is not None  # loaded in this unit of work
        mapping.apply_declaration_view(record, view, self.clock.now())
        await self.session.flush()

    async def of_patent(self, application_number: str) -> list[DeclarationView]:
        """The patent's declarations known with their patentees, newest first; locked
        for share, so a negotiated licence waits for a publication in progress."""
        query = (
            select(DeclarationViewRecord)
            .where(
                col(DeclarationViewRecord.application_number) == application_number,
                col(DeclarationViewRecord.patent_number).is_not(None),
            )
            .order_by(col(DeclarationViewRecord.announced_at).desc())
            .with_for_update(read=True)
        )
        records = (await self.session.execute(query)).scalars()
        return [mapping.declaration_view(r) for r in records]
