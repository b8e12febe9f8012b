"""Evidence (证明材料) of the license service: documents kept with their SHA-256 and
cited by id from the records that rely on them (credit records and objections today;
mediation and deals may cite them too).

License keeps its own documents: services never share tables, and a party's evidence
about a licence or a credit record is license's business, not listing's."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from license.domain.errors_credit import DocumentRefused


class DocumentKind(StrEnum):
    DECISION = "decision"  # 认定文书：行政处罚决定书、裁决书、判决书
    PAYMENT_NOTICE = "payment_notice"  # 催告函
    SETTLEMENT_AGREEMENT = "settlement_agreement"  # 调解协议
    CONTRACT = "contract"  # 合同
    STATEMENT = "statement"  # 情况说明、异议材料
    OTHER = "other"


# PDF, OFD (the national standard format for official documents, GB/T 33190) and scans.
CONTENT_TYPES = frozenset({"application/pdf", "application/ofd", "image/png", "image/jpeg"})


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Document:
    """An uploaded document and what it is; ``content`` is None where only its metadata
    was loaded."""

    id: str
    kind: DocumentKind
    filename: str | None
    content_type: str
    size: int
    sha256: str
    uploaded_by_org_id: str
    uploaded_by_uscc: str | None
    created_at: datetime
    content: bytes | None = None

    def uploaded_by(self, org_id: str) -> bool:
        return self.uploaded_by_org_id == org_id


def accepted_content(content_type: str, content: bytes, max_bytes: int) -> str:
    """The media type of an uploaded document, if the document may be kept: one of
    :data:`CONTENT_TYPES`, not empty, at most ``max_bytes``."""
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
    return media
