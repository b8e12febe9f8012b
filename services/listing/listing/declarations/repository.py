"""Open-licence declarations: loaded and saved as domain
:class:`OpenLicenseDeclaration` objects, each with its current terms version."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select
from sqlmodel import col, select

from listing import mapping
from listing.domain.declaration import (
    IN_FORCE,
    DeclarationStatus,
    OpenLicenseDeclaration,
)
from listing.models import DeclarationRecord, DeclarationTermsRecord, PatentRecord
from shared.db.rows import loaded_row

# Declarations that have taken effect and not ended: they lapse or expire.
LIVE = frozenset({*IN_FORCE, DeclarationStatus.SUSPENDED})


class DeclarationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, declaration_id: str) -> OpenLicenseDeclaration | None:
        found = await self._load(
            select(DeclarationRecord).where(DeclarationRecord.id == declaration_id)
        )
        return found[0] if found else None

    async def get_for_update(self, declaration_id: str) -> OpenLicenseDeclaration | None:
        query = select(DeclarationRecord).where(DeclarationRecord.id == declaration_id)
        found = await self._load(query.with_for_update())
        return found[0] if found else None

    async def add(self, declaration: OpenLicenseDeclaration) -> None:
        """A new declaration with its first terms version."""
        assert declaration.created_at is not None, "a new declaration has its creation time"
        record = DeclarationRecord(
            id=declaration.id,
            created_at=declaration.created_at,
            application_number=declaration.application_number,
            status=declaration.status.value,
            declarant_org_id=declaration.declarant_org_id,
        )
        mapping.update_declaration_record(record, declaration)
        self.session.add(record)
        await self.session.flush()
        await self._add_terms(declaration, declaration.created_at)

    async def save(
        self, declaration: OpenLicenseDeclaration, *, now: datetime | None = None
    ) -> None:
        """Write the declaration back into its row (loaded before); changed terms become
        a new immutable version (created ``now``)."""
        record = await loaded_row(self.session, DeclarationRecord, declaration.id)
        assert record is not None, "save() follows get_for_update()"
        if declaration.terms_version != record.current_terms_version:
            assert now is not None, "a new terms version is saved with its time"
            await self._add_terms(declaration, now)
        mapping.update_declaration_record(record, declaration)
        self.session.add(record)

    async def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        status: DeclarationStatus | None,
        application_number: str | None,
    ) -> list[OpenLicenseDeclaration]:
        d = DeclarationRecord
        query = select(d).order_by(col(d.created_at).desc(), col(d.id).desc())
        if status is not None:
            query = query.where(d.status == status.value)
        if application_number is not None:
            query = query.where(d.application_number == application_number)
        if after is not None:
            created_at, decl_id = after
            query = query.where(
                (d.created_at < created_at) | ((d.created_at == created_at) & (d.id < decl_id))
            )
        return await self._load(query.limit(limit))

    async def of_patent(
        self, application_number: str, statuses: Iterable[DeclarationStatus]
    ) -> list[OpenLicenseDeclaration]:
        """A patent's declarations in the given states, locked for update."""
        d = DeclarationRecord
        query = (
            select(d)
            .where(col(d.application_number) == application_number)
            .where(col(d.status).in_([s.value for s in statuses]))
            .order_by(col(d.created_at))
            .with_for_update()
        )
        return await self._load(query)

    async def of_patentee(
        self, uscc: str, statuses: Iterable[DeclarationStatus]
    ) -> list[OpenLicenseDeclaration]:
        """The declarations in the given states of every patent ``uscc`` is a patentee
        of, locked for update."""
        d, p = DeclarationRecord, PatentRecord
        query = (
            select(d)
            .join(p, col(p.application_number) == col(d.application_number))
            .where(col(p.patentees).contains([{"uscc": uscc}]))
            .where(col(d.status).in_([s.value for s in statuses]))
            .order_by(col(d.created_at), col(d.id))
            .with_for_update(of=d)
        )
        return await self._load(query)

    async def past_term(self, today: date, limit: int) -> list[OpenLicenseDeclaration]:
        """Live declarations whose term ended before ``today``, locked (SKIP LOCKED: any
        number of instances may run the expiry sweep)."""
        d, t = DeclarationRecord, DeclarationTermsRecord
        query = (
            select(d)
            .join(
                t,
                (col(t.declaration_id) == col(d.id))
                & (col(t.version) == col(d.current_terms_version)),
            )
            .where(col(d.status).in_([s.value for s in LIVE]))
            .where(func.jsonb_extract_path_text(col(t.terms), "term_end") < today.isoformat())
            .limit(limit)
            .with_for_update(of=d, skip_locked=True)
        )
        return await self._load(query)

    async def _load(self, query: Select[Any]) -> list[OpenLicenseDeclaration]:
        records: list[DeclarationRecord] = list((await self.session.execute(query)).scalars())
        if not records:
            return []
        t = DeclarationTermsRecord
        keys = [(r.id, r.current_terms_version) for r in records]
        terms_query = select(t).where(tuple_(col(t.declaration_id), col(t.version)).in_(keys))
        terms = {
            (x.declaration_id, x.version): x.terms
            for x in (await self.session.execute(terms_query)).scalars()
        }
        return [mapping.to_declaration(r, terms[(r.id, r.current_terms_version)]) for r in records]

    async def _add_terms(self, declaration: OpenLicenseDeclaration, at: datetime) -> None:
        record = DeclarationTermsRecord(
            declaration_id=declaration.id,
            version=declaration.terms_version,
            terms=mapping.terms_document(declaration.terms),
            created_at=at,
        )
        self.session.add(record)
        await self.session.flush()
