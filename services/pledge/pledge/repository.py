"""Every query of the pledge service."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, or_, select

from pledge.models import (
    DeclarationViewRecord,
    LicenseViewRecord,
    PatentViewRecord,
    PledgePatentRecord,
    PledgeRecord,
)


class PledgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- views ---------------------------------------------------------------------------

    async def upsert_patent_view(self, values: dict[str, Any]) -> None:
        statement = insert(PatentViewRecord).values(**values, updated_at=datetime.now(UTC))
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["application_number"],
                set_={k: statement.excluded[k] for k in (*values, "updated_at")},
            )
        )

    async def update_patent_view(self, application_number: str, **values: Any) -> bool:
        result = await self.session.execute(
            update(PatentViewRecord)
            .where(col(PatentViewRecord.application_number) == application_number)
            .values(**values, updated_at=datetime.now(UTC))
            .returning(col(PatentViewRecord.application_number))
        )
        return result.first() is not None

    async def patent_views(
        self, numbers: list[str], *, for_update: bool = False
    ) -> dict[str, PatentViewRecord]:
        query = (
            select(PatentViewRecord)
            .where(col(PatentViewRecord.application_number).in_(numbers))
            # A fixed order, so two transactions locking overlapping sets cannot deadlock.
            .order_by(col(PatentViewRecord.application_number))
        )
        if for_update:
            query = query.with_for_update()
        rows = (await self.session.execute(query)).scalars()
        return {r.application_number: r for r in rows}

    async def set_declaration_view(
        self, declaration_id: str, application_number: str, status: str
    ) -> None:
        statement = insert(DeclarationViewRecord).values(
            declaration_id=declaration_id,
            application_number=application_number,
            status=status,
            updated_at=datetime.now(UTC),
        )
        keep_withdrawn = col(DeclarationViewRecord.status) != "withdrawn"
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["declaration_id"],
                set_={
                    "status": statement.excluded.status,
                    "updated_at": statement.excluded.updated_at,
                },
                # A withdrawal is final, whatever arrives after it.
                where=keep_withdrawn,
            )
        )

    async def add_license_view(self, record: LicenseViewRecord) -> None:
        await self.session.execute(
            insert(LicenseViewRecord)
            .values(**record.model_dump())
            .on_conflict_do_nothing(index_elements=["license_id"])
        )

    # -- pledges -------------------------------------------------------------------------

    async def add_pledge(self, pledge: PledgeRecord) -> None:
        self.session.add(pledge)
        await self.session.flush()
        for number in pledge.application_numbers:
            self.session.add(PledgePatentRecord(pledge_id=pledge.id, application_number=number))
        await self.session.flush()

    async def get_pledge(self, pledge_id: str, *, for_update: bool = False) -> PledgeRecord | None:
        query = select(PledgeRecord).where(col(PledgeRecord.id) == pledge_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def pledged_numbers(
        self, numbers: list[str], *, excluding: str | None = None
    ) -> set[str]:
        """Which of ``numbers`` a registered pledge covers."""
        query = (
            select(PledgePatentRecord.application_number)
            .join(PledgeRecord, col(PledgeRecord.id) == col(PledgePatentRecord.pledge_id))
            .where(
                col(PledgePatentRecord.application_number).in_(numbers),
                col(PledgeRecord.status) == "registered",
            )
        )
        if excluding is not None:
            query = query.where(col(PledgeRecord.id) != excluding)
        return set((await self.session.execute(query)).scalars())

    async def list_pledges(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        org_id: str | None,
    ) -> list[PledgeRecord]:
        p = PledgeRecord
        query = select(p).order_by(col(p.created_at).desc(), col(p.id).desc()).limit(limit)
        if org_id is not None:
            query = query.where(
                or_(col(p.pledgee_org_id) == org_id, col(p.pledgor_org_id) == org_id)
            )
        if after is not None:
            created_at, last_id = after
            query = query.where(
                or_(
                    col(p.created_at) < created_at,
                    (col(p.created_at) == created_at) & (col(p.id) < last_id),
                )
            )
        return list((await self.session.execute(query)).scalars())
