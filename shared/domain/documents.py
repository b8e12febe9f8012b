"""Documents kept as evidence (证明材料): the formats the services accept and the digest
each one is kept with, so a record relying on a document (a declaration's evaluation
report, a credit record's decision, a deal's signed contract) shows it was not changed.
"""

from __future__ import annotations

import hashlib

from shared.errors import InvalidRequest, ProblemError

# PDF, OFD (the national standard format for official documents, GB/T 33190) and scans.
CONTENT_TYPES = frozenset({"application/pdf", "application/ofd", "image/png", "image/jpeg"})


class DocumentRefused(InvalidRequest):
    slug = "document-refused"
    title = "The document cannot be accepted"


def sha256(content: bytes) -> str:
    """The hex SHA-256 a document is kept and shown with."""
    return hashlib.sha256(content).hexdigest()


def accepted_content(
    content_type: str,
    content: bytes,
    max_bytes: int,
    *,
    what: str = "the document",
    refused: type[ProblemError] = DocumentRefused,
) -> str:
    """The media type of an uploaded document, if it may be kept: one of
    :data:`CONTENT_TYPES`, not empty, at most ``max_bytes``; else ``refused`` saying why
    (``what`` names the document in the message)."""
    media = content_type.split(";")[0].strip().lower()
    if media not in CONTENT_TYPES:
        raise refused(
            f"content type {media or 'none'} is not accepted for {what}; send one of "
            f"{', '.join(sorted(CONTENT_TYPES))}"
        )
    if not content:
        raise refused(f"{what} is empty")
    if len(content) > max_bytes:
        raise refused(f"{what} has {len(content)} bytes; at most {max_bytes}")
    return media
