"""Every query of the webhooks service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_, select

from webhooks.models import OutboundEventRecord


class WebhooksRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_outbound(self, record: OutboundEventRecord) -> None:
        # A replayed copy of the same event (same CloudEvents id) is stored once.
        await self.session.execute(
            insert(OutboundEventRecord)
            .values(**record.model_dump())
            .on_conflict_do_nothing(index_elements=["event_id"])
        )

    async def get_outbound(self, event_id: str) -> OutboundEventRecord | None:
        query = select(OutboundEventRecord).where(col(OutboundEventRecord.event_id) == event_id)
        return (await self.session.execute(query)).scalar_one_or_none()

    async def list_outbound(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        event_type: str | None,
        subject: str | None,
    ) -> list[OutboundEventRecord]:
        e = OutboundEventRecord
        query = select(e).order_by(col(e.received_at), col(e.event_id)).limit(limit)
        if event_type is not None:
            query = query.where(col(e.event_type) == event_type)
        if subject is not None:
            query = query.where(col(e.subject) == subject)
        if after is not None:
            received_at, event_id = after
            query = query.where(
                or_(
                    col(e.received_at) > received_at,
                    (col(e.received_at) == received_at) & (col(e.event_id) > event_id),
                )
            )
        return list((await self.session.execute(query)).scalars())
