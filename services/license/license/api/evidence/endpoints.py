"""Evidence documents of the license service: upload once, cite by id from the records
that rely on them (credit records and objections)."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from license.api.deps import Caller, Writer
from license.api.evidence import schemas
from license.config import LicenseSettings
from license.evidence import service
from license.evidence.commands import UploadDocument
from shared.domain.documents import CONTENT_TYPES
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
    summary="上传证据 Upload evidence (认定文书, 催告函, 调解协议, ...)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in sorted(CONTENT_TYPES)
            },
        }
    },
)
async def upload(
    request: Request,
    meta: Annotated[schemas.DocumentUpload, Query()],
    principal: Writer,
    uow: UnitOfWorkDep,
) -> schemas.DocumentPublic:
    """上传证据材料（PDF、OFD、PNG、JPEG），平台保存其SHA-256，之后在信用记录或异议中按id引用。

    The body is the document itself, its type in `Content-Type`; what it is goes in the
    query: `?kind=payment_notice&filename=催告函.pdf`. The answer carries its id (to cite
    in a record's or an objection's `evidence`) and its SHA-256. Seen by the uploader,
    the regulator, the operator and the party of a record citing it.
    422 `document-refused` (type, empty, too large)."""
    settings = get_runtime(request).settings
    assert isinstance(settings, LicenseSettings)
    command = UploadDocument(
        kind=meta.kind,
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
    summary="证据元数据 A document's metadata and SHA-256",
)
async def metadata(
    document_id: DocumentId, principal: Caller, uow: UnitOfWorkDep
) -> schemas.DocumentPublic:
    """查看证据材料的元数据与SHA-256。

    Who uploaded it, when, its type, size and SHA-256; 404 for anyone who may not see it."""
    document = await service.visible_document(uow, principal, document_id)
    return schemas.DocumentPublic.model_validate(document, from_attributes=True)


@router.get(
    "/documents/{document_id}/content",
    tags=["documents"],
    summary="下载证据 Download a document",
    response_class=Response,
    responses={200: {"content": {t: {} for t in sorted(CONTENT_TYPES)}}},
)
async def content(document_id: DocumentId, principal: Caller, uow: UnitOfWorkDep) -> Response:
    """下载证据材料原件。

    The stored bytes; the `Repr-Digest` header (RFC 9530) carries their SHA-256."""
    document = await service.visible_document(uow, principal, document_id, with_content=True)
    digest = base64.b64encode(bytes.fromhex(document.sha256)).decode()
    return Response(
        document.content,
        media_type=document.content_type,
        headers={"repr-digest": f"sha-256=:{digest}:"},
    )
