"""The outcome facts' repository."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from matching.domain.outcome import OutcomeFact
from matching.outcomes.mapping import fact_values
from matching.outcomes.models import InventoryingInstitutionRecord, OutcomeFactRecord

KEY = ("kind", "fact_id", "application_number")


class OutcomeFactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, facts: list[OutcomeFact], now: datetime) -> None:
        """Insert the facts; one already kept (the same licence, transfer, pledge or
        royalty period published again) takes the new values."""
        if not facts:
            return
        rows = [{**fact_values(f), "recorded_at": now} for f in facts]
        statement = insert(OutcomeFactRecord).values(rows)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=list(KEY),
                set_={k: statement.excluded[k] for k in rows[0] if k not in KEY},
            )
        )


class InventoryingInstitutions:
    """Which institution each inventoried patent is credited to."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def credit(self, application_number: str, uscc: str, name: str, now: datetime) -> None:
        """The latest inventory's institution is the one credited."""
        values = {
            "application_number": application_number,
            "institution_uscc": uscc,
            "institution_name": name,
            "recorded_at": now,
        }
        statement = insert(InventoryingInstitutionRecord).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["application_number"],
                set_={k: statement.excluded[k] for k in values if k != "application_number"},
            )
        )
