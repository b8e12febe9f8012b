"""Evidence documents: use cases."""

from __future__ import annotations

import uuid

from listing.api import schemas
from listing.domain.errors import (
    DocumentRefused,
    NotPatentee,
    UnknownDocument,
)
from listing.domain.evidence import CONTENT_TYPES, Conclusion, DocumentKind, Evidence
from listing.domain.evidence import sha256 as evidence_sha256
from listing.models import (
    DocumentRecord,
)
from listing.repository import ListingRepository
from shared.auth import OrgType, Principal
from shared.db.uow import UnitOfWork
from shared.domain import ApplicationNumber
from shared.errors import NotFound


async def load_evidence(repo: ListingRepository, ids: list[str]) -> list[Evidence]:
    found = {d.id: d for d in await repo.documents(ids)}
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise UnknownDocument(
            f"documents {', '.join(unknown)} were not uploaded", documents=unknown
        )
    return [
        Evidence(
            id=d.id,
            kind=DocumentKind(d.kind),
            application_number=d.application_number,
            sha256=d.sha256,
            party_uscc=d.party_uscc,
            conclusion=Conclusion(d.conclusion) if d.conclusion else None,
        )
        for d in (found[i] for i in ids)
    ]


async def upload_document(
    uow: UnitOfWork,
    principal: Principal,
    meta: schemas.DocumentUpload,
    content: bytes,
    content_type: str,
    max_bytes: int,
) -> DocumentRecord:
    """Keep a document with its SHA-256. A patentee uploads for its own patent (the
    operator for any); a favourable evaluation report is noted on the patent."""
    media = content_type.split(";")[0].strip().lower()
    if media not in CONTENT_TYPES:
        raise DocumentRefused(
            f"content type {media or 'none'} is not accepted; send one of "
            f"{', '.join(sorted(CONTENT_TYPES))}"
        )
    if not content:
        raise DocumentRefused("the document is empty")
    if len(content) > max_bytes:
        raise DocumentRefused(f"the document has {len(content)} bytes; at most {max_bytes}")
    repo = ListingRepository(uow.session)
    number = ApplicationNumber.parse(meta.application_number).value
    patent = await repo.get_patent(number, for_update=True)
    if patent is None:
        raise NotFound(f"patent {number} is not in the catalogue")
    owners = {p.get("uscc") for p in patent.patentees}
    if principal.org_type is not OrgType.OPERATOR and principal.uscc not in owners:
        raise NotPatentee(f"only a patentee of {number} or the operator may file its evidence")
    if meta.kind is DocumentKind.CO_OWNER_CONSENT and meta.party_uscc not in owners:
        raise DocumentRefused(
            "a co-owner's consent letter names the consenting co-owner's USCC (party_uscc), "
            f"one of the patentees of {number}"
        )
    if meta.kind is DocumentKind.EVALUATION_REPORT and meta.conclusion is None:
        raise DocumentRefused("an evaluation report states its conclusion")
    record = DocumentRecord(
        id=str(uuid.uuid4()),
        application_number=number,
        kind=meta.kind.value,
        party_uscc=meta.party_uscc,
        conclusion=meta.conclusion.value if meta.conclusion else None,
        filename=meta.filename,
        content_type=media,
        size=len(content),
        sha256=evidence_sha256(content),
        content=content,
        uploaded_by_org_id=principal.org_id,
    )
    await repo.add_document(record)
    if meta.kind is DocumentKind.EVALUATION_REPORT and meta.conclusion is Conclusion.FAVOURABLE:
        patent.evaluation_report_favourable = True
        uow.session.add(patent)
    return record


async def get_document(uow: UnitOfWork, document_id: str) -> DocumentRecord:
    record = await ListingRepository(uow.session).get_document(document_id)
    if record is None:
        raise NotFound(f"document {document_id} does not exist")
    return record
