"""Restricted parties: loaded and saved as domain objects."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from listing.domain.restriction import PartyRestriction
from listing.restrictions.models import PartyRestrictionRecord
from shared.db.rows import loaded_row

_FIELDS = ("party_uscc", "party_name", "restricted_from", "restricted_until", "lifted")


class RestrictionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_for_update(self, record_id: str) -> PartyRestriction | None:
        query = (
            select(PartyRestrictionRecord)
            .where(PartyRestrictionRecord.record_id == record_id)
            .with_for_update()
        )
        row = (await self.session.execute(query)).scalar_one_or_none()
        return None if row is None else _restriction(row)

    async def save(self, restriction: PartyRestriction, now: datetime) -> None:
        row = await loaded_row(self.session, PartyRestrictionRecord, restriction.record_id)
        if row is None:
            row = PartyRestrictionRecord(
                record_id=restriction.record_id,
                updated_at=now,
                **{n: getattr(restriction, n) for n in _FIELDS},
            )
            self.session.add(row)
        for name in _FIELDS:
            setattr(row, name, getattr(restriction, name))
        row.updated_at = now
        await self.session.flush()

    async def of_parties(self, usccs: Iterable[str]) -> list[PartyRestriction]:
        r = PartyRestrictionRecord
        query = select(r).where(col(r.party_uscc).in_(list(usccs)), col(r.lifted).is_(False))
        return [_restriction(row) for row in (await self.session.execute(query)).scalars()]


def _restriction(row: PartyRestrictionRecord) -> PartyRestriction:
    return PartyRestriction(record_id=row.record_id, **{n: getattr(row, n) for n in _FIELDS})
