"""What the evidence use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass

from license.domain.evidence import DocumentKind


@dataclass(frozen=True)
class UploadDocument:
    """Keep ``content`` as evidence; ``content_type`` as the upload's Content-Type header
    gave it."""

    kind: DocumentKind
    filename: str | None
    content: bytes
    content_type: str
