"""Evidence documents: use cases."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from listing.catalogue.repository import PatentRepository
from listing.domain.errors import NotPatentee, UnknownDocument
from listing.domain.evidence import (
    Conclusion,
    Document,
    DocumentKind,
    Evidence,
    check_kind,
)
from listing.evidence.commands import UploadDocument
from listing.evidence.repository import DocumentRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import ApplicationNumber
from shared.domain.documents import accepted_content, sha256
from shared.errors import NotFound


async def load_evidence(session: AsyncSession, ids: list[str]) -> list[Evidence]:
    """The documents a record relies on, in the order given; :class:`UnknownDocument`
    names those that were never uploaded."""
    found = await DocumentRepository(session).evidence(ids)
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise UnknownDocument(
            f"documents {', '.join(unknown)} were not uploaded", documents=unknown
        )
    return [found[i] for i in ids]


async def upload_document(
    uow: UnitOfWork, principal: Principal, command: UploadDocument, max_bytes: int
) -> Document:
    """Keep a document with its SHA-256. A patentee uploads for its own patent (the
    operator for any); a favourable evaluation report is noted on the patent."""
    media = accepted_content(command.content_type, command.content, max_bytes)
    patents = PatentRepository(uow.session)
    number = ApplicationNumber.parse(command.application_number).value
    patent = await patents.get_for_update(number)
    if patent is None:
        raise NotFound(f"patent {number} is not in the catalogue")
    owners = {p.uscc for p in patent.patentees}
    if principal.org_type is not OrgType.OPERATOR and principal.uscc not in owners:
        raise NotPatentee(f"only a patentee of {number} or the operator may file its evidence")
    check_kind(
        command.kind,
        party_uscc=command.party_uscc,
        conclusion=command.conclusion,
        patentees=owners,
        application_number=number,
    )
    document = Document(
        id=str(uuid.uuid4()),
        application_number=number,
        kind=command.kind,
        party_uscc=command.party_uscc,
        conclusion=command.conclusion,
        filename=command.filename,
        content_type=media,
        size=len(command.content),
        sha256=sha256(command.content),
        content=command.content,
        uploaded_by_org_id=principal.org_id,
        created_at=uow.clock.now(),
    )
    await DocumentRepository(uow.session).add(document)
    if (
        command.kind is DocumentKind.EVALUATION_REPORT
        and command.conclusion is Conclusion.FAVOURABLE
    ):
        patent.evaluation_report_favourable = True
        await patents.save(patent)
    return document


async def get_document(uow: UnitOfWork, document_id: str) -> Document:
    found = await DocumentRepository(uow.session).get(document_id)
    if found is None:
        raise NotFound(f"document {document_id} does not exist")
    return found
