"""Every query of the registry-sync service: registrations loaded and saved as
:class:`TechContractRegistration` (``mapping.py`` holds the row <-> domain mapping)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_, select

from registry_sync.domain.registration import RegistrationStatus, TechContractRegistration
from registry_sync.models import TechContractRegistrationRecord
from registry_sync.registrations.mapping import to_record, to_registration


class RegistrySyncRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_if_new(self, registration: TechContractRegistration) -> bool:
        """Insert unless the source already has a registration; True if inserted."""
        result = await self.session.execute(
            insert(TechContractRegistrationRecord)
            .values(**to_record(registration).model_dump())
            .on_conflict_do_nothing(index_elements=["source_reference"])
            .returning(col(TechContractRegistrationRecord.id))
        )
        return result.first() is not None

    async def get(
        self, registration_id: str, *, for_update: bool = False
    ) -> TechContractRegistration | None:
        query = select(TechContractRegistrationRecord).where(
            col(TechContractRegistrationRecord.id) == registration_id
        )
        if for_update:
            query = query.with_for_update()
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else to_registration(record)

    async def by_source(self, source_reference: str) -> TechContractRegistration | None:
        """The registration of a licence or transfer, locked for the change to come."""
        query = (
            select(TechContractRegistrationRecord)
            .where(col(TechContractRegistrationRecord.source_reference) == source_reference)
            .with_for_update()
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else to_registration(record)

    async def preparing(self, application_number: str) -> list[TechContractRegistration]:
        """The patent's registrations not yet submitted, locked."""
        r = TechContractRegistrationRecord
        query = (
            select(r)
            .where(
                col(r.application_number) == application_number,
                col(r.status).in_(
                    [RegistrationStatus.AWAITING_FILING, RegistrationStatus.AWAITING_DETAILS]
                ),
            )
            .order_by(col(r.id))
            .with_for_update()
        )
        return [to_registration(row) for row in (await self.session.execute(query)).scalars()]

    async def claim_due(
        self, status: RegistrationStatus, now: datetime, limit: int
    ) -> list[TechContractRegistration]:
        """Registrations in ``status`` whose next attempt has come, locked; rows another
        instance holds are skipped."""
        r = TechContractRegistrationRecord
        query = (
            select(r)
            .where(
                col(r.status) == status.value,
                or_(col(r.next_attempt_at).is_(None), col(r.next_attempt_at) <= now),
                # Only a submission the office acknowledged can be asked about.
                col(r.office_reference).is_not(None)
                if status is RegistrationStatus.SUBMITTED
                else true(),
            )
            .order_by(col(r.next_attempt_at).asc().nulls_first(), col(r.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [to_registration(row) for row in (await self.session.execute(query)).scalars()]

    async def save(self, registration: TechContractRegistration) -> TechContractRegistration | None:
        """Write the registration if its row is still at ``registration.version``; the
        saved registration (its version moved on), or None if another change came first."""
        values = to_record(registration).model_dump(exclude={"id", "created_at", "version"})
        result = await self.session.execute(
            update(TechContractRegistrationRecord)
            .where(
                col(TechContractRegistrationRecord.id) == registration.id,
                col(TechContractRegistrationRecord.version) == registration.version,
            )
            .values(**values, version=registration.version + 1)
            .returning(col(TechContractRegistrationRecord.id))
        )
        if result.first() is None:
            return None
        return replace(registration, version=registration.version + 1)

    async def list(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        application_number: str | None,
        source_reference: str | None,
        party_uscc: str | None,
    ) -> list[TechContractRegistration]:
        r = TechContractRegistrationRecord
        query = select(r).order_by(col(r.created_at).desc(), col(r.id).desc()).limit(limit)
        if application_number is not None:
            query = query.where(col(r.application_number) == application_number)
        if source_reference is not None:
            query = query.where(col(r.source_reference) == source_reference)
        if party_uscc is not None:
            query = query.where(
                or_(col(r.seller_uscc) == party_uscc, col(r.buyer_uscc) == party_uscc)
            )
        if after is not None:
            created_at, last_id = after
            query = query.where(
                or_(
                    col(r.created_at) < created_at,
                    (col(r.created_at) == created_at) & (col(r.id) < last_id),
                )
            )
        return [to_registration(row) for row in (await self.session.execute(query)).scalars()]
