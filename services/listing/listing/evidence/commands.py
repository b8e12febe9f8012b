"""What the evidence use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass

from listing.domain.evidence import Conclusion, DocumentKind


@dataclass(frozen=True)
class UploadDocument:
    """Keep ``content`` as evidence about a patent; ``content_type`` as the upload's
    Content-Type header gave it."""

    application_number: str
    kind: DocumentKind
    party_uscc: str | None
    conclusion: Conclusion | None
    filename: str | None
    content: bytes
    content_type: str
