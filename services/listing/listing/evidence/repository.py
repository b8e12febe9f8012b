"""Documents: loaded and saved as domain objects."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlmodel import col, select

from listing.domain.evidence import Document, Evidence
from listing.evidence import mapping
from listing.models import DocumentRecord


class DocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, document: Document) -> None:
        self.session.add(mapping.document_record(document))
        await self.session.flush()

    async def get(self, document_id: str) -> Document | None:
        record = await self.session.get(DocumentRecord, document_id)
        return None if record is None else mapping.document(record)

    async def evidence(self, ids: Iterable[str]) -> dict[str, Evidence]:
        """What records rely on of the documents that exist among ``ids``, by id (their
        content is not loaded)."""
        d = DocumentRecord
        query = select(d).where(col(d.id).in_(list(ids))).options(defer(d.content))  # type: ignore[arg-type]
        return {r.id: mapping.evidence(r) for r in (await self.session.execute(query)).scalars()}
