"""Institutions' holdings of patents: written with the patent's registration, transfer
and legal status (``coverage.service``), read by the coverage figures (``queries``)."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from listing.coverage.mapping import holding_values
from listing.domain.holding import InstitutionHolding
from listing.models import InstitutionHoldingRecord


class HoldingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace(self, application_number: str, holdings: list[InstitutionHolding]) -> None:
        """The patent's holdings are exactly ``holdings`` (its owners changed, or it is new)."""
        await self.session.execute(
            delete(InstitutionHoldingRecord).where(
                col(InstitutionHoldingRecord.application_number) == application_number
            )
        )
        if holdings:
            await self.session.execute(
                insert(InstitutionHoldingRecord).values([holding_values(h) for h in holdings])
            )

    async def set_valid(self, application_number: str, valid: bool) -> None:
        await self.session.execute(
            update(InstitutionHoldingRecord)
            .where(col(InstitutionHoldingRecord.application_number) == application_number)
            .where(col(InstitutionHoldingRecord.valid) != valid)
            .values(valid=valid)
        )
