"""Evidence documents: use cases. Services never commit; the caller's unit of work does.

A document is seen by its uploader, the regulator and the operator, and by the party of
a credit record (or an objection) that cites it. Anyone else gets the 404 an id that
does not exist gets, word for word."""

from __future__ import annotations

import uuid

from license.credit.repository import CreditRepository
from license.domain.errors_credit import DocumentUnknown, document_unknown
from license.domain.evidence import Document
from license.evidence.commands import UploadDocument
from license.evidence.repository import DocumentRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain.documents import accepted_content, sha256

OVERSEERS = frozenset({OrgType.REGULATOR, OrgType.OPERATOR})


async def upload_document(
    uow: UnitOfWork, principal: Principal, command: UploadDocument, max_bytes: int
) -> Document:
    media = accepted_content(command.content_type, command.content, max_bytes)
    document = Document(
        id=str(uuid.uuid4()),
        kind=command.kind,
        filename=command.filename,
        content_type=media,
        size=len(command.content),
        sha256=sha256(command.content),
        content=command.content,
        uploaded_by_org_id=principal.org_id,
        uploaded_by_uscc=principal.uscc,
        created_at=uow.clock.now(),
    )
    await DocumentRepository(uow.session).add(document)
    return document


async def visible_document(
    uow: UnitOfWork, principal: Principal, document_id: str, *, with_content: bool = False
) -> Document:
    found = await DocumentRepository(uow.session).get(document_id, with_content=with_content)
    if found is None or not await _may_see(uow, principal, found):
        raise document_unknown(document_id)
    return found


async def citable(uow: UnitOfWork, principal: Principal, ids: tuple[str, ...]) -> tuple[str, ...]:
    """``ids`` once each, if every one is a document ``principal`` may cite: one it
    uploaded, or any for the regulator and the operator."""
    unique = tuple(dict.fromkeys(ids))
    found = await DocumentRepository(uow.session).many(unique)
    refused = [
        i
        for i in unique
        if i not in found
        or not (principal.org_type in OVERSEERS or found[i].uploaded_by(principal.org_id))
    ]
    if refused:
        raise DocumentUnknown(
            f"evidence: documents {', '.join(refused)} were not uploaded by the caller",
            documents=refused,
        )
    return unique


async def _may_see(uow: UnitOfWork, principal: Principal, document: Document) -> bool:
    if principal.org_type in OVERSEERS or document.uploaded_by(principal.org_id):
        return True
    if principal.uscc is None:
        return False
    return await CreditRepository(uow.session).cites(document.id, principal.uscc)
