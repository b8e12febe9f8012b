"""The filings view's queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from registry_sync.filings.commands import RecordFilingFacts
from registry_sync.filings.mapping import to_values
from registry_sync.filings.models import FilingRecord


class FilingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, facts: RecordFilingFacts, now: datetime) -> None:
        """Insert the row or add the facts to it. Events of one licence may come in any
        order (a redelivery after a later event): a fact an event does not carry never
        erases one another event brought."""
        values = {**to_values(facts), "updated_at": now}
        statement = insert(FilingRecord).values(**values)
        kept = {
            name: func.coalesce(statement.excluded[name], getattr(FilingRecord, name))
            for name in values
            if name not in ("source_reference", "filing_type", "updated_at")
        }
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["source_reference"],
                set_={**kept, "updated_at": statement.excluded.updated_at},
            )
        )
