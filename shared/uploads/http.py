"""The HTTP side of uploads, for a service's ``api/<area>/endpoints.py``.

An upload endpoint is built on an ``APIRouter(route_class=UploadRoute)``; it declares
``query: UploadQueryDep`` and ``openapi_extra=UPLOAD_OPENAPI``, calls
:func:`receive_upload` with the request, wakes the service's upload worker and answers
:func:`accepted` (``shared.uploads.responses``, which also has what the job's own
endpoints answer). ``docs/uploads.md`` shows one.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Query, Request

from shared.clock import Clock
from shared.errors import (
    InvalidRequest,
    UploadKeyReused,
    UploadMediaTypeUnsupported,
    UploadTooLarge,
    UploadTooManyRows,
)
from shared.http.routes import StrictRoute
from shared.uploads.encodings import HEAD_BYTES, detect_encoding, encoding_named
from shared.uploads.formats import (
    Format,
    RowParser,
    UploadSpec,
)
from shared.uploads.jobs import NewJob, UploadJob, UploadStore
from shared.uploads.responses import Received

CHUNK_BYTES = 1024 * 1024
_MEDIA = {
    "text/csv": Format.CSV,
    "application/x-ndjson": Format.JSONL,
    "application/jsonl": Format.JSONL,
    "application/x-jsonlines": Format.JSONL,
}


class UploadRoute(StrictRoute):
    """The route of an endpoint that reads its request body itself, as a stream.

    The Idempotency-Key middleware (``shared.http.idempotency``), which would read the
    whole body into memory, leaves its requests alone (``handles_idempotency_key``): the
    endpoint keeps the key with the upload job. The strict route's checks hold as on any
    route (unknown query parameters; a body sent as JSON is checked for U+0000, then
    refused by :func:`receive_upload` with 415, after authentication); a file sent as
    CSV or JSON Lines is never read by them."""

    handles_idempotency_key = True


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


@dataclass(frozen=True)
class UploadQuery:
    format: Format | None
    encoding: str | None
    atomic: bool


def upload_query(
    format: Annotated[
        Format | None, Query(description="`csv` or `jsonl`; by default from the Content-Type.")
    ] = None,
    encoding: Annotated[
        str | None,
        Query(
            max_length=16,
            description="utf-8, utf-8-sig, gb18030 (gbk and gb2312 are read as gb18030); "
            "detected when left out.",
        ),
    ] = None,
    atomic: Annotated[
        bool, Query(description="Commit every row or none: any row error rejects the upload.")
    ] = False,
) -> UploadQuery:
    return UploadQuery(format, encoding, atomic)


UploadQueryDep = Annotated[UploadQuery, Depends(upload_query)]

UPLOAD_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
            "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
        },
    },
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": 255},
            "description": "Names the upload: the same key and file give the same job again; "
            "the same key with another file is refused (409 upload-key-reused).",
        }
    ],
}


async def receive_upload(
    request: Request,
    store: UploadStore,
    spec: UploadSpec,
    query: UploadQuery,
    *,
    uploaded_by: str,
    uploader_subject: str,
    clock: Clock,
    on_behalf_of: str | None = None,
    options: dict[str, Any] | None = None,
) -> Received:
    """Receive the request's file as a job of ``spec.kind``: stored in chunks, its header
    checked and its rows counted as it streams in, all in one transaction with the job.

    Refused: a ``Content-Length`` over ``spec.max_bytes`` before anything is read (413),
    a body that grows past it (413), more rows than ``spec.max_rows`` (413), an unknown
    encoding or header (422). The ``Idempotency-Key`` header names the upload: the same
    key and the same file give the job already received (``replayed``); another file, 409.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > spec.max_bytes:
        raise _too_large(spec)
    media = _media(request)
    fmt = None if _is_json(media) else query.format or _MEDIA.get(media)
    if fmt is None:
        raise UploadMediaTypeUnsupported(
            f"Content-Type: {media or 'none'} is not an upload format; send the file as "
            "text/csv or application/x-ndjson (or, for another text type, say "
            "format=csv|jsonl)",
            field="Content-Type",
        )
    codec = encoding_named(query.encoding) if query.encoding else None
    key = request.headers.get("idempotency-key")
    if key is not None and not 1 <= len(key.strip()) <= 255:
        raise InvalidRequest("Idempotency-Key must be 1-255 characters", field="Idempotency-Key")
    key = key.strip() if key else None
    if key is not None and (existing := await store.by_key(uploader_subject, key)):
        return await _same_file_or_refuse(request, spec, existing, key)
    job = NewJob(
        id=str(uuid.uuid4()),
        kind=spec.kind,
        uploaded_by=uploaded_by,
        uploader_subject=uploader_subject,
        on_behalf_of=on_behalf_of,
        idempotency_key=key,
        format=fmt.value,
        options=options or {},
        atomic=query.atomic,
        created_at=clock.now(),
    )
    try:
        async with store.connect() as conn, conn.transaction():
            await store.insert(conn, job)  # waits for a concurrent upload of the same key
            await _store_file(request, store, conn, spec, job, codec)
    except asyncpg.UniqueViolationError:
        existing = await store.by_key(uploader_subject, key or "")
        if existing is None:
            raise
        return await _same_file_or_refuse(request, spec, existing, key or "")
    stored = await store.get(job.id)
    assert stored is not None
    return Received(stored, replayed=False)


def _too_large(spec: UploadSpec) -> UploadTooLarge:
    return UploadTooLarge(
        f"body: an upload of {spec.kind} holds at most {spec.max_bytes} bytes; split the file",
        field="body",
        max_bytes=spec.max_bytes,
    )


async def _store_file(
    request: Request,
    store: UploadStore,
    conn: asyncpg.Connection,
    spec: UploadSpec,
    job: NewJob,
    codec: str | None,
) -> None:
    digest = hashlib.sha256()
    size = seq = 0
    pending = bytearray()
    head = bytearray()
    parser: RowParser | None = None
    async for piece in request.stream():
        size += len(piece)
        if size > spec.max_bytes:
            raise _too_large(spec)
        digest.update(piece)
        pending += piece
        if parser is None:
            head += piece
            if len(head) < HEAD_BYTES:
                continue
            codec = codec or detect_encoding(bytes(head[:HEAD_BYTES]), whole_file=False)
            parser = RowParser(spec, Format(job.format), codec)
            parser.feed(bytes(head))
            head.clear()
        else:
            parser.feed(piece)
        _check_rows(parser, spec)
        while len(pending) >= CHUNK_BYTES:
            await store.add_chunk(conn, job.id, seq, bytes(pending[:CHUNK_BYTES]))
            del pending[:CHUNK_BYTES]
            seq += 1
    if parser is None:
        if not head.strip():
            raise InvalidRequest("body: the file is empty", field="body")
        codec = codec or detect_encoding(bytes(head), whole_file=True)
        parser = RowParser(spec, Format(job.format), codec)
        parser.feed(bytes(head))
    parser.finish()
    _check_rows(parser, spec)
    if parser.rows == 0:
        raise InvalidRequest("body: the file holds no rows", field="body")
    if pending:
        await store.add_chunk(conn, job.id, seq, bytes(pending))
    assert codec is not None
    await store.received(
        conn,
        job.id,
        sha256=digest.hexdigest(),
        size_bytes=size,
        encoding=codec,
        rows_total=parser.rows,
    )


def _check_rows(parser: RowParser, spec: UploadSpec) -> None:
    if parser.rows > spec.max_rows:
        raise UploadTooManyRows(
            f"body: an upload of {spec.kind} holds at most {spec.max_rows} rows; split the file",
            field="body",
            max_rows=spec.max_rows,
        )


async def _same_file_or_refuse(
    request: Request, spec: UploadSpec, existing: UploadJob, key: str
) -> Received:
    """The key names an upload already received: this request must carry the same file
    (read to hash it, never kept)."""
    digest = hashlib.sha256()
    size = 0
    async for piece in request.stream():
        size += len(piece)
        if size > spec.max_bytes:
            raise _too_large(spec)
        digest.update(piece)
    if digest.hexdigest() != existing.sha256 or existing.kind != spec.kind:
        raise UploadKeyReused(
            f"Idempotency-Key {key!r} names upload {existing.id}, of a different file; "
            "use a new key for a new file",
            field="Idempotency-Key",
            upload=existing.id,
        )
    return Received(existing, replayed=True)
