"""Banks' lending policies, their topics and the risk-compensation programmes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from pledge import mapping
from pledge.domain.bank_policy import BankPolicy
from pledge.domain.compensation import RiskProgramme
from pledge.models import BankPolicyRecord, BankTopicRecord, RiskProgrammeRecord
from shared.db.rows import loaded_row


class BankRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def policy(self, bank_org_id: str) -> BankPolicy | None:
        row = await self.session.get(BankPolicyRecord, bank_org_id)
        return None if row is None else mapping.bank_policy_of(row)

    async def put_policy(self, policy: BankPolicy) -> BankPolicy:
        """Insert or replace the bank's policy; returns it as stored."""
        values = mapping.columns(policy)
        statement = insert(BankPolicyRecord).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["bank_org_id"],
                set_={k: statement.excluded[k] for k in values if k != "bank_org_id"},
            )
        )
        row = await self.session.get(BankPolicyRecord, policy.bank_org_id, populate_existing=True)
        assert row is not None
        return mapping.bank_policy_of(row)

    async def topic_known(self, bank_org_id: str) -> bool:
        return await self.session.get(BankTopicRecord, bank_org_id) is not None

    async def add_topic(self, bank_org_id: str, topic: str, *, at: datetime) -> None:
        await self.session.execute(
            insert(BankTopicRecord)
            .values(bank_org_id=bank_org_id, topic=topic, created_at=at)
            .on_conflict_do_nothing(index_elements=["bank_org_id"])
        )

    async def add_programme(self, programme: RiskProgramme) -> None:
        self.session.add(RiskProgrammeRecord(**mapping.programme_columns(programme)))
        await self.session.flush()

    async def programme(self, programme_id: str) -> RiskProgramme | None:
        row = await self.session.get(RiskProgrammeRecord, programme_id)
        return None if row is None else mapping.programme_of(row)

    async def programme_for_update(self, programme_id: str) -> RiskProgramme | None:
        query = (
            select(RiskProgrammeRecord)
            .where(col(RiskProgrammeRecord.id) == programme_id)
            .with_for_update()
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return None if row is None else mapping.programme_of(row)

    async def save_programme(self, programme: RiskProgramme) -> None:
        row = await loaded_row(self.session, RiskProgrammeRecord, programme.id)
        assert row is not None, f"programme {programme.id} was never added"
        mapping.update_row(row, mapping.programme_columns(programme))
        self.session.add(row)
        await self.session.flush()
