"""Credit records and their objections: loaded and saved as domain objects."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, or_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from license.credit import mapping
from license.credit.models import CreditObjectionRecord, CreditRecordRecord
from license.domain.credit import CreditKind, CreditRecord, CreditState, Objection
from shared.db.rows import loaded_row


class CreditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- records -----------------------------------------------------------------------------

    async def add(self, record: CreditRecord) -> bool:
        """Insert; False if the record's breach was already put before the regulator."""
        row = mapping.credit_record_row(record)
        result = await self.session.execute(
            insert(CreditRecordRecord)
            .values(**row.model_dump())
            .on_conflict_do_nothing(
                index_elements=["breach_id"],
                index_where=col(CreditRecordRecord.breach_id).isnot(None),
            )
            .returning(col(CreditRecordRecord.id))
        )
        return result.first() is not None

    async def get(self, record_id: str, *, for_update: bool = False) -> CreditRecord | None:
        query = select(CreditRecordRecord).where(CreditRecordRecord.id == record_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).scalar_one_or_none()
        return None if row is None else mapping.credit_record(row)

    async def save(self, record: CreditRecord) -> None:
        row = await loaded_row(self.session, CreditRecordRecord, record.id)
        if row is None:
            self.session.add(mapping.credit_record_row(record))
        else:
            mapping.apply_credit_record(row, record)
        await self.session.flush()

    async def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        party_uscc: str | None,
        state: CreditState | None,
        kind: CreditKind | None,
        visible_states: frozenset[CreditState] | None = None,
    ) -> list[CreditRecord]:
        """One page, newest first, after ``after`` (created at, id)."""
        r = CreditRecordRecord
        query = select(r).order_by(col(r.created_at).desc(), col(r.id).desc()).limit(limit)
        if after is not None:
            t, i = after
            query = query.where(
                or_(col(r.created_at) < t, and_(col(r.created_at) == t, col(r.id) < i))
            )
        if party_uscc is not None:
            query = query.where(r.party_uscc == party_uscc)
        if state is not None:
            query = query.where(r.state == state.value)
        if kind is not None:
            query = query.where(r.kind == kind.value)
        if visible_states is not None:
            query = query.where(col(r.state).in_([s.value for s in visible_states]))
        rows = (await self.session.execute(query)).scalars()
        return [mapping.credit_record(row) for row in rows]

    async def periods_ended(self, *, today: date, limit: int) -> list[CreditRecord]:
        """Records in force whose period ended before ``today``, locked; rows another
        instance holds are skipped."""
        r = CreditRecordRecord
        query = (
            select(r)
            .where(r.state == CreditState.IN_FORCE.value, col(r.period_until) < today)
            .order_by(col(r.period_until))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [mapping.credit_record(row) for row in (await self.session.execute(query)).scalars()]

    async def cites(self, document_id: str, party_uscc: str) -> bool:
        """Whether a record about ``party_uscc``, or an objection to one, cites the document."""
        r, o = CreditRecordRecord, CreditObjectionRecord
        by_record = select(r.id).where(
            r.party_uscc == party_uscc, col(r.evidence).contains([document_id])
        )
        by_objection = (
            select(o.id)
            .join(r, col(r.id) == col(o.record_id))
            .where(r.party_uscc == party_uscc, col(o.evidence).contains([document_id]))
        )
        found = await self.session.execute(by_record.union_all(by_objection).limit(1))
        return found.first() is not None

    # -- objections --------------------------------------------------------------------------

    async def add_objection(self, objection: Objection) -> None:
        self.session.add(mapping.objection_row(objection))
        await self.session.flush()

    async def objections(self, record_id: str) -> list[Objection]:
        o = CreditObjectionRecord
        query = select(o).where(o.record_id == record_id).order_by(col(o.filed_at))
        return [mapping.objection(row) for row in (await self.session.execute(query)).scalars()]

    async def get_objection(self, record_id: str, objection_id: str) -> Objection | None:
        o = CreditObjectionRecord
        query = select(o).where(o.id == objection_id, o.record_id == record_id).with_for_update()
        row = (await self.session.execute(query)).scalar_one_or_none()
        return None if row is None else mapping.objection(row)

    async def save_objection(self, objection: Objection) -> None:
        row = await loaded_row(self.session, CreditObjectionRecord, objection.id)
        assert row is not None, f"objection {objection.id} is saved after it was loaded"
        row.upheld = objection.upheld
        row.reason = objection.reason
        row.decided_at = objection.decided_at
        row.decided_by_org_id = objection.decided_by_org_id
        row.overdue_alerted = objection.overdue_alerted
        row.decide_by = objection.decide_by
        await self.session.flush()

    async def objections_without_due_day(self, *, limit: int) -> list[Objection]:
        """Pending objections whose decision day was not counted yet (its year missing
        from the calendar when filed), oldest first, locked."""
        o = CreditObjectionRecord
        query = (
            select(o)
            .where(col(o.upheld).is_(None), col(o.decide_by).is_(None))
            .order_by(col(o.filed_at))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [mapping.objection(row) for row in (await self.session.execute(query)).scalars()]

    async def objections_overdue(
        self, *, today: date, limit: int
    ) -> list[tuple[Objection, CreditRecord]]:
        """Pending objections past their decision deadline not yet alerted, locked."""
        o, r = CreditObjectionRecord, CreditRecordRecord
        query = (
            select(o, r)
            .join(r, col(r.id) == col(o.record_id))
            .where(
                col(o.upheld).is_(None), col(o.overdue_alerted).is_(False), col(o.decide_by) < today
            )
            .order_by(col(o.decide_by))
            .limit(limit)
            .with_for_update(of=o, skip_locked=True)
        )
        rows = (await self.session.execute(query)).all()
        return [(mapping.objection(a), mapping.credit_record(b)) for a, b in rows]
