"""Mediation cases, loaded and saved as domain objects through ``mediation.mapping``."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from license.domain.dispute import CaseViewer, MediationStatus
from license.domain.mediation import MediationCase
from license.domain.mediation_deadline import DeadlineAlert
from license.mediation import mapping
from license.mediation.models import MediationCaseRecord
from shared.clock import Clock
from shared.db.rows import loaded_row

_OVERDUE = DeadlineAlert.OVERDUE.value
_NONE = DeadlineAlert.NONE.value
_OPEN = [MediationStatus.REQUESTED.value, MediationStatus.ACCEPTED.value]


class MediationCaseRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        # Stamps the rows' times (recorded, updated).
        self.clock = clock

    async def add(self, case: MediationCase) -> None:
        now = self.clock.now()
        case.created_at = case.created_at or now
        self.session.add(mapping.case_record(case, now))
        await self.session.flush()

    async def get(self, case_id: str, *, for_update: bool = False) -> MediationCase | None:
        query = select(MediationCaseRecord).where(col(MediationCaseRecord.id) == case_id)
        if for_update:
            # Every act on a case serialises on its row (one answer, one acceptance).
            query = query.with_for_update()
        record = (await self.session.execute(query)).scalar_one_or_none()
        return mapping.case_from_record(record) if record else None

    async def save(self, case: MediationCase) -> None:
        """Save a case loaded with :meth:`get` (``for_update``) in this unit of work."""
        record = await loaded_row(self.session, MediationCaseRecord, case.id)
        assert record is not None  # loaded in this unit of work
        mapping.apply_case(record, case, self.clock.now())
        await self.session.flush()

    async def list_cases(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        viewer: CaseViewer,
        license_id: str | None,
        status: MediationStatus | None,
    ) -> list[MediationCase]:
        """Newest first; the cases ``viewer`` may read (all for the operator and the
        regulator; the mediator's own; a party's own)."""
        table = MediationCaseRecord
        query = select(table).order_by(col(table.created_at).desc(), col(table.id).desc())
        if not viewer.reads_all:
            readers: list[ColumnElement[bool]] = [col(table.licensee_org_id) == viewer.org_id]
            if viewer.uscc is not None:
                readers.append(col(table.party_usccs).contains([viewer.uscc]))
            if viewer.is_mediator:
                readers.append(col(table.mediator_org_id) == viewer.org_id)
            query = query.where(or_(*readers))
        if license_id is not None:
            query = query.where(col(table.license_id) == license_id)
        if status is not None:
            query = query.where(col(table.status) == status.value)
        if after is not None:
            created_at, case_id = after
            query = query.where(
                (col(table.created_at) < created_at)
                | ((col(table.created_at) == created_at) & (col(table.id) < case_id))
            )
        records = (await self.session.execute(query.limit(limit))).scalars()
        return [mapping.case_from_record(r) for r in records]

    async def cases_needing_deadline_alert(
        self, *, today: date, limit: int, calendar_years: Collection[int]
    ) -> list[MediationCase]:
        """Open cases owed a reminder (reminder day reached, none sent) or an alarm
        (deadline passed) for the deadline running now, or whose deadline waits for a
        year now in ``calendar_years`` (the ones still waiting are left out, so they
        never fill a batch). Rows another instance holds are skipped, and those taken
        stay locked until the caller's transaction ends."""
        table = MediationCaseRecord
        acceptance = and_(
            col(table.status) == MediationStatus.REQUESTED.value,
            col(table.acceptance_alert) != _OVERDUE,
            ((col(table.acceptance_alert) == _NONE) & (col(table.acceptance_notice_on) <= today))
            | (col(table.acceptance_deadline) < today),
        )
        closing = and_(
            col(table.status) == MediationStatus.ACCEPTED.value,
            col(table.closing_alert) != _OVERDUE,
            ((col(table.closing_alert) == _NONE) & (col(table.closing_notice_on) <= today))
            | (col(table.closing_deadline) < today),
        )
        query = (
            select(table)
            .where(
                col(table.status).in_(_OPEN),
                or_(
                    acceptance,
                    closing,
                    col(table.calendar_year_missing).in_(sorted(calendar_years)),
                ),
            )
            .order_by(col(table.created_at), col(table.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        records = (await self.session.execute(query)).scalars()
        return [mapping.case_from_record(r) for r in records]

    async def calendar_years_awaited(self, calendar_years: Collection[int]) -> dict[int, int]:
        """The years outside ``calendar_years`` that open cases' deadlines wait for, and
        how many cases wait for each."""
        table = MediationCaseRecord
        year = col(table.calendar_year_missing)
        query = (
            select(year, func.count())
            .where(
                col(table.status).in_(_OPEN),
                year.is_not(None),
                year.not_in(sorted(calendar_years)),
            )
            .group_by(year)
            .order_by(year)
        )
        rows = (await self.session.execute(query)).all()
        return {waited: count for waited, count in rows if waited is not None}
