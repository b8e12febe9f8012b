"""Insurance products, policies and claims."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col, select

from pledge import mapping
from pledge.domain.insurance import InsuranceClaim, InsurancePolicy, InsuranceProduct
from pledge.models import InsuranceClaimRecord, InsurancePolicyRecord, InsuranceProductRecord


class InsuranceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_product(self, product: InsuranceProduct) -> None:
        await self._add(InsuranceProductRecord(**mapping.columns(product)))

    async def add_policy(self, policy: InsurancePolicy) -> None:
        await self._add(InsurancePolicyRecord(**mapping.columns(policy)))

    async def add_claim(self, claim: InsuranceClaim) -> None:
        await self._add(InsuranceClaimRecord(**mapping.columns(claim)))

    async def product(self, product_id: str) -> InsuranceProduct | None:
        row = await self.session.get(InsuranceProductRecord, product_id)
        return None if row is None else mapping.product_of(row)

    async def policy(self, policy_id: str, *, for_update: bool = False) -> InsurancePolicy | None:
        row = await self._row(InsurancePolicyRecord, policy_id, for_update)
        return None if row is None else mapping.policy_of(row)

    async def claim(self, claim_id: str, *, for_update: bool = False) -> InsuranceClaim | None:
        row = await self._row(InsuranceClaimRecord, claim_id, for_update)
        return None if row is None else mapping.insurance_claim_of(row)

    async def save_policy(self, policy: InsurancePolicy) -> None:
        await self._save(InsurancePolicyRecord, policy.id, policy)

    async def save_claim(self, claim: InsuranceClaim) -> None:
        await self._save(InsuranceClaimRecord, claim.id, claim)

    async def _add(self, row: SQLModel) -> None:
        self.session.add(row)
        await self.session.flush()

    async def _row(self, table: Any, row_id: str, for_update: bool) -> Any:
        query = select(table).where(col(table.id) == row_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def _save(self, table: Any, row_id: str, aggregate: object) -> None:
        row = await self.session.get(table, row_id)
        assert row is not None, f"{table.__tablename__} {row_id} was never added"
        mapping.update_row(row, mapping.columns(aggregate))
        self.session.add(row)
        await self.session.flush()
