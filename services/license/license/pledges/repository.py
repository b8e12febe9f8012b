"""The pledge view and the pledgees' consents, fed by the pledge service's events,
loaded and saved as domain objects through ``license.mapping``."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from license.domain.pledge import PledgeeConsent, PledgeView
from license.models import PledgeConsentRecord, PledgeViewRecord
from license.pledges import mapping
from shared.clock import Clock
from shared.db.rows import loaded_row


class PledgeRepository:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.clock = clock

    async def get_views(
        self, pledge_id: str, application_numbers: list[str]
    ) -> dict[str, PledgeView]:
        """The pledge's views on these patents (locked), by application number; a patent
        the pledge is not yet known on is missing."""
        query = (
            select(PledgeViewRecord)
            .where(
                col(PledgeViewRecord.pledge_id) == pledge_id,
                col(PledgeViewRecord.application_number).in_(application_numbers),
            )
            .with_for_update()
        )
        rows = (await self.session.execute(query)).scalars()
        return {r.application_number: mapping.pledge_view(r) for r in rows}

    async def save_view(self, view: PledgeView) -> None:
        """Save a view loaded by :meth:`get_views`, or a new one."""
        now = self.clock.now()
        record = await loaded_row(
            self.session, PledgeViewRecord, (view.pledge_id, view.application_number)
        )
        if record is None:
            self.session.add(mapping.pledge_view_record(view, now))
        else:
            mapping.apply_pledge_view(record, view, now)
        await self.session.flush()

    async def active_on(self, application_number: str) -> list[PledgeView]:
        query = (
            select(PledgeViewRecord)
            .where(
                col(PledgeViewRecord.application_number) == application_number,
                col(PledgeViewRecord.active).is_(True),
            )
            .order_by(col(PledgeViewRecord.registered_on), col(PledgeViewRecord.pledge_id))
        )
        return [mapping.pledge_view(r) for r in (await self.session.execute(query)).scalars()]

    async def add_consent(self, consent: PledgeeConsent) -> None:
        record = mapping.consent_record(consent, str(uuid.uuid4()), self.clock.now())
        self.session.add(record)
        await self.session.flush()

    async def consents_on(self, application_number: str) -> list[PledgeeConsent]:
        query = (
            select(PledgeConsentRecord)
            .where(col(PledgeConsentRecord.application_number) == application_number)
            .order_by(col(PledgeConsentRecord.created_at))
        )
        return [mapping.consent(r) for r in (await self.session.execute(query)).scalars()]
