"""Inventory records, evaluations, tier history and matching feedback: loaded and saved
as domain objects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from listing.domain.inventory import (
    Evaluation,
    EvaluationKind,
    InventoryRecord,
    RecordedTierChange,
    TierChange,
)
from listing.domain.tiers import FeedbackCounts
from listing.inventory import mapping
from listing.inventory.commands import RecordMatchFeedback
from listing.inventory.models import (
    EvaluationRecord,
    MatchFeedbackRecord,
    PatentInventoryRecord,
    TierChangeRecord,
)
from shared.db.rows import loaded_row


class InventoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, application_number: str) -> InventoryRecord | None:
        row = await self.session.get(PatentInventoryRecord, application_number)
        return None if row is None else mapping.to_inventory_record(row)

    async def get_for_update(self, application_number: str) -> InventoryRecord | None:
        """The record, its row locked (callers lock the patent's row first)."""
        query = (
            select(PatentInventoryRecord)
            .where(PatentInventoryRecord.application_number == application_number)
            .with_for_update()
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return None if row is None else mapping.to_inventory_record(row)

    async def add(self, record: InventoryRecord) -> None:
        self.session.add(mapping.inventory_row(record))
        await self.session.flush()

    async def save(self, record: InventoryRecord) -> None:
        row = await loaded_row(self.session, PatentInventoryRecord, record.application_number)
        assert row is not None, "save() follows get_for_update()"
        mapping.update_inventory_row(row, record)
        self.session.add(row)

    # -- evaluations -------------------------------------------------------------------

    async def evaluations(self, application_number: str) -> list[Evaluation]:
        e = EvaluationRecord
        query = (
            select(e)
            .where(e.application_number == application_number)
            .order_by(col(e.evaluated_at), col(e.kind), col(e.version))
        )
        return [mapping.to_evaluation(r) for r in (await self.session.execute(query)).scalars()]

    async def next_version(self, application_number: str, kind: EvaluationKind) -> int:
        e = EvaluationRecord
        query = select(func.coalesce(func.max(e.version), 0)).where(
            e.application_number == application_number, e.kind == kind.value
        )
        return int((await self.session.execute(query)).scalar_one()) + 1

    async def add_evaluation(self, evaluation: Evaluation) -> None:
        self.session.add(mapping.evaluation_row(evaluation))
        await self.session.flush()

    # -- tier history ------------------------------------------------------------------

    async def add_tier_change(
        self, application_number: str, change: TierChange, actor: str, at: datetime
    ) -> None:
        t = TierChangeRecord
        last = select(func.coalesce(func.max(t.seq), 0)).where(
            t.application_number == application_number
        )
        seq = int((await self.session.execute(last)).scalar_one()) + 1
        self.session.add(mapping.tier_change_row(application_number, seq, change, actor, at))
        await self.session.flush()

    async def tier_history(self, application_number: str) -> list[RecordedTierChange]:
        t = TierChangeRecord
        query = select(t).where(t.application_number == application_number).order_by(col(t.seq))
        rows = (await self.session.execute(query)).scalars()
        return [mapping.to_recorded_tier_change(r) for r in rows]


class MatchFeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, command: RecordMatchFeedback) -> None:
        """Keep the feedback; a later one under the same id replaces it, an earlier one
        (redelivered out of order) does not."""
        f = MatchFeedbackRecord
        values = {
            "feedback_id": command.feedback_id,
            "application_number": command.application_number,
            "enterprise_uscc": command.enterprise_uscc,
            "will_implement": command.will_implement.value,
            "wants_cooperation": command.wants_cooperation,
            "market_evaluation": command.market_evaluation.value,
            "recorded_at": command.recorded_at,
        }
        statement = insert(f).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["feedback_id"],
                set_={k: statement.excluded[k] for k in values if k != "feedback_id"},
                where=col(f.recorded_at) <= statement.excluded.recorded_at,
            )
        )

    async def counts(self, application_number: str) -> FeedbackCounts:
        f = MatchFeedbackRecord
        query = sa_select(
            func.count().filter(col(f.will_implement) == "yes"),
            func.count().filter(col(f.will_implement) == "no"),
            func.count().filter(col(f.market_evaluation) == "positive"),
            func.count().filter(col(f.market_evaluation) == "negative"),
        ).where(col(f.application_number) == application_number)
        willing, unwilling, positive, negative = (await self.session.execute(query)).one()
        return FeedbackCounts(willing, unwilling, positive, negative)
