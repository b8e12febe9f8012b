"""Compensation claims on risk-compensation programmes."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from pledge import mapping
from pledge.domain.compensation import CompensationClaim
from pledge.models import CompensationClaimRecord


class ClaimRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, claim: CompensationClaim) -> None:
        self.session.add(mapping.claim_row(claim))
        await self.session.flush()

    async def of_pledge(self, pledge_id: str) -> CompensationClaim | None:
        query = select(CompensationClaimRecord).where(
            col(CompensationClaimRecord.pledge_id) == pledge_id
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return None if row is None else mapping.claim_of(row)
