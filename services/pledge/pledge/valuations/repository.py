"""Valuations as recorded."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from pledge import mapping
from pledge.domain.valuation import Valuation
from pledge.models import ValuationRecord


class ValuationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, valuation: Valuation) -> None:
        self.session.add(mapping.valuation_row(valuation))
        await self.session.flush()

    async def get(self, valuation_id: str) -> Valuation | None:
        row = await self.session.get(ValuationRecord, valuation_id)
        return None if row is None else mapping.valuation_of(row)
