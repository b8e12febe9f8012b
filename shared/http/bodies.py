"""Request bodies an endpoint reads itself (an uploaded document is its body), bounded:
a client cannot make a service hold more than the limit in memory."""

from __future__ import annotations

from fastapi import Request

from shared.errors import UploadTooLarge


async def bounded_body(request: Request, max_bytes: int, *, what: str = "the document") -> bytes:
    """The request's body, refused with 413 ``upload-too-large`` before anything is read
    when its ``Content-Length`` is over ``max_bytes``, and as soon as it grows past it
    otherwise (a chunked body)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(what, max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(what, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(what: str, max_bytes: int) -> UploadTooLarge:
    return UploadTooLarge(
        f"body: {what} is larger than {max_bytes} bytes", field="body", max_bytes=max_bytes
    )
