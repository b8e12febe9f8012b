"""Every query of the registry-sync service: registrations loaded and saved as
:class:`TechContractRegistration` (``mapping.py`` holds the row <-> domain mapping)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_, select

from registry_sync.domain.registration import TechContractRegistration
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

    async def get(self, registration_id: str) -> TechContractRegistration | None:
        query = select(TechContractRegistrationRecord).where(
            col(TechContractRegistrationRecord.id) == registration_id
        )
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else to_registration(record)

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
