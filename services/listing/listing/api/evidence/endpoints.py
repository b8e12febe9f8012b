"""Evidence documents: upload once, reference by id from the records that rely on them."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from listing.api.deps import Caller, PatenteeOrOperator
from listing.api.evidence import schemas
from listing.config import ListingSettings
from listing.evidence import service
from listing.evidence.commands import UploadDocument
from shared.http.bodies import bounded_body
from shared.http.dependencies import UnitOfWorkDep, get_runtime
from shared.http.routes import StrictRoute

router = APIRouter(route_class=StrictRoute)
DocumentId = Annotated[str, Path(max_length=36)]


@router.post(
    "/documents",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DocumentPublic,
    tags=["documents"],
    summary="Upload evidence (评价报告, 共有人同意书, ...)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in ("application/pdf", "application/ofd", "image/png", "image/jpeg")
            },
        }
    },
)
async def upload(
    request: Request,
    meta: Annotated[schemas.DocumentUpload, Query()],
    principal: PatenteeOrOperator,
    uow: UnitOfWorkDep,
) -> schemas.DocumentPublic:
    """The body is the document itself (PDF, OFD, PNG or JPEG); what it is goes in the
    query: `?application_number=201710601862.3&kind=co_owner_consent&party_uscc=...`.
    The answer carries its id (to list among a declaration's `evidence`) and SHA-256."""
    settings = get_runtime(request).settings
    assert isinstance(settings, ListingSettings)
    command = UploadDocument(
        application_number=meta.application_number,
        kind=meta.kind,
        party_uscc=meta.party_uscc,
        conclusion=meta.conclusion,
        filename=meta.filename,
        content=await bounded_body(request, settings.document_max_bytes),
        content_type=request.headers.get("content-type", ""),
    )
    document = await service.upload_document(uow, principal, command, settings.document_max_bytes)
    await uow.commit()
    return schemas.DocumentPublic.model_validate(document, from_attributes=True)


@router.get(
    "/documents/{document_id}",
    response_model=schemas.DocumentPublic,
    tags=["documents"],
    summary="A document's metadata and SHA-256",
)
async def metadata(
    document_id: DocumentId, _: Caller, uow: UnitOfWorkDep
) -> schemas.DocumentPublic:
    document = await service.get_document(uow, document_id)
    return schemas.DocumentPublic.model_validate(document, from_attributes=True)


@router.get(
    "/documents/{document_id}/content",
    tags=["documents"],
    summary="Download a document",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def content(document_id: DocumentId, _: Caller, uow: UnitOfWorkDep) -> Response:
    """The stored bytes; the `Repr-Digest` header (RFC 9530) carries their SHA-256."""
    document = await service.get_document(uow, document_id)
    return Response(
        document.content,
        media_type=document.content_type,
        headers={"repr-digest": f"sha-256=:{_b64(document.sha256)}:"},
    )


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()
