"""Documents: loaded and saved as domain objects."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlmodel import col, select

from license.domain.evidence import Document
from license.evidence import mapping
from license.evidence.models import DocumentRecord


class DocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, document: Document) -> None:
        self.session.add(mapping.document_record(document))
        await self.session.flush()

    async def get(self, document_id: str, *, with_content: bool = False) -> Document | None:
        d = DocumentRecord
        query = select(d).where(d.id == document_id)
        if not with_content:
            query = query.options(defer(d.content))  # type: ignore[arg-type]
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else mapping.document(record, with_content=with_content)

    async def many(self, ids: Iterable[str]) -> dict[str, Document]:
        """The documents that exist among ``ids``, by id (their content not loaded)."""
        d = DocumentRecord
        query = select(d).where(col(d.id).in_(list(ids))).options(defer(d.content))  # type: ignore[arg-type]
        return {
            r.id: mapping.document(r, with_content=False)
            for r in (await self.session.execute(query)).scalars()
        }
