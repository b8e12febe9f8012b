"""The listing service's repository: patents, declarations, the encumbrance view and
history. Supply and demand (market.repository), documents (evidence.repository), search
and GET by id (search.queries) and the bulk COPY (bulk.repository) have their own."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import func, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from listing.models import (
    DeclarationRecord,
    DeclarationTermsRecord,
    EncumbranceRecord,
    PatentRecord,
    PledgeeConsentRecord,
    TimelineEntryRecord,
)

_TIMELINE = TimelineEntryRecord.__table__  # type: ignore[attr-defined]
_ADD_HISTORY = insert(_TIMELINE).on_conflict_do_nothing(
    index_elements=["event_id", "application_number"]
)


class ListingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # -- patents -------------------------------------------------------------------------

    async def get_patent(
        self, application_number: str, *, for_update: bool = False
    ) -> PatentRecord | None:
        query = select(PatentRecord).where(PatentRecord.application_number == application_number)
        if for_update:
            # Declarations and encumbrance changes of one patent serialise on this row.
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add_patent(self, record: PatentRecord) -> bool:
        """Insert; False if the application number is already catalogued."""
        values = record.model_dump()
        result = await self.session.execute(
            insert(PatentRecord)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["application_number"])
            .returning(col(PatentRecord.application_number))
        )
        return result.first() is not None

    async def list_patents(self, limit: int, after: str | None) -> list[PatentRecord]:
        query = select(PatentRecord).order_by(PatentRecord.application_number).limit(limit)
        if after is not None:
            query = query.where(PatentRecord.application_number > after)
        return list((await self.session.execute(query)).scalars())

    # -- declarations --------------------------------------------------------------------

    async def get_declaration(
        self, declaration_id: str, *, for_update: bool = False
    ) -> DeclarationRecord | None:
        query = select(DeclarationRecord).where(DeclarationRecord.id == declaration_id)
        if for_update:
            query = query.with_for_update()
        return (await self.session.execute(query)).scalar_one_or_none()

    async def add_declaration(
        self, declaration: DeclarationRecord, terms: DeclarationTermsRecord
    ) -> None:
        self.session.add(declaration)
        await self.session.flush()
        self.session.add(terms)
        await self.session.flush()

    async def get_terms(self, declaration_id: str, version: int) -> DeclarationTermsRecord:
        query = select(DeclarationTermsRecord).where(
            col(DeclarationTermsRecord.declaration_id) == declaration_id,
            col(DeclarationTermsRecord.version) == version,
        )
        return (await self.session.execute(query)).scalar_one()

    async def list_declarations(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None,
        status: str | None,
        application_number: str | None,
    ) -> list[DeclarationRecord]:
        query = select(DeclarationRecord).order_by(
            col(DeclarationRecord.created_at).desc(),
            col(DeclarationRecord.id).desc(),
        )
        if status is not None:
            query = query.where(DeclarationRecord.status == status)
        if application_number is not None:
            query = query.where(DeclarationRecord.application_number == application_number)
        if after is not None:
            created_at, decl_id = after
            query = query.where(
                (DeclarationRecord.created_at < created_at)
                | ((DeclarationRecord.created_at == created_at) & (DeclarationRecord.id < decl_id))
            )
        return list((await self.session.execute(query.limit(limit))).scalars())

    # -- encumbrance view ----------------------------------------------------------------

    async def declarations_of(
        self, application_number: str, statuses: Iterable[str]
    ) -> list[DeclarationRecord]:
        """A patent's declarations in the given states, locked for update."""
        d = DeclarationRecord
        query = (
            select(d)
            .where(col(d.application_number) == application_number)
            .where(col(d.status).in_(list(statuses)))
            .order_by(col(d.created_at))
            .with_for_update()
        )
        return list((await self.session.execute(query)).scalars())

    async def declarations_past_term(self, today: date, limit: int) -> list[DeclarationRecord]:
        """In-force declarations whose term ended before ``today``, locked (SKIP LOCKED: any
        number of instances may run the expiry sweep)."""
        d, t = DeclarationRecord, DeclarationTermsRecord
        query = (
            select(d)
            .join(
                t,
                (col(t.declaration_id) == col(d.id))
                & (col(t.version) == col(d.current_terms_version)),
            )
            .where(col(d.status).in_(["announced", "withdrawal_requested", "suspended"]))
            .where(func.jsonb_extract_path_text(col(t.terms), "term_end") < today.isoformat())
            .limit(limit)
            .with_for_update(of=d, skip_locked=True)
        )
        return list((await self.session.execute(query)).scalars())

    async def add_terms(self, record: DeclarationTermsRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    async def active_encumbrances(self, application_number: str) -> list[EncumbranceRecord]:
        query = select(EncumbranceRecord).where(
            col(EncumbranceRecord.application_number) == application_number,
            col(EncumbranceRecord.active).is_(True),
        )
        return list((await self.session.execute(query)).scalars())

    async def upsert_encumbrance(
        self,
        *,
        application_number: str,
        kind: str,
        reference_id: str,
        holder: str,
        effective_from: date,
        open_license_consented: bool,
    ) -> None:
        values = {
            "application_number": application_number,
            "kind": kind,
            "reference_id": reference_id,
            "holder": holder,
            "active": True,
            "open_license_consented": open_license_consented,
            "effective_from": effective_from,
            "updated_at": datetime.now(UTC),
        }
        statement = insert(EncumbranceRecord).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["application_number", "kind", "reference_id"],
                set_={k: statement.excluded[k] for k in values if k not in ("kind",)},
            )
        )

    async def add_consent(self, record: PledgeeConsentRecord) -> None:
        await self.session.execute(
            insert(PledgeeConsentRecord).values(**record.model_dump()).on_conflict_do_nothing()
        )

    async def consents(
        self, pledge_id: str, application_number: str, consent_to: str
    ) -> list[PledgeeConsentRecord]:
        c = PledgeeConsentRecord
        query = select(c).where(
            col(c.pledge_id) == pledge_id,
            col(c.application_number) == application_number,
            col(c.consent_to) == consent_to,
        )
        return list((await self.session.execute(query)).scalars())

    async def consent_to_open_license(self, *, kind: str, reference_id: str) -> None:
        e = EncumbranceRecord
        await self.session.execute(
            update(e)
            .where(col(e.kind) == kind, col(e.reference_id) == reference_id)
            .values(open_license_consented=True)
        )

    async def release_encumbrance(self, *, kind: str, reference_id: str) -> None:
        await self.session.execute(
            update(EncumbranceRecord)
            .where(
                col(EncumbranceRecord.kind) == kind,
                col(EncumbranceRecord.reference_id) == reference_id,
            )
            .values(active=False, updated_at=datetime.now(UTC))
        )

    # -- history -------------------------------------------------------------------------

    async def add_history(self, entries: list[TimelineEntryRecord]) -> None:
        # One statement, compiled once (its values are parameters, not part of the SQL):
        # the timeline takes every event of every service.
        await self.session.execute(_ADD_HISTORY, [e.model_dump() for e in entries])

    async def history(
        self, application_number: str, limit: int, after: tuple[datetime, str] | None
    ) -> list[TimelineEntryRecord]:
        t = TimelineEntryRecord
        query = (
            select(t)
            .where(col(t.application_number) == application_number)
            .order_by(col(t.occurred_at), col(t.event_id))
            .limit(limit)
        )
        if after is not None:
            query = query.where(tuple_(col(t.occurred_at), col(t.event_id)) > tuple_(*after))
        return list((await self.session.execute(query)).scalars())
