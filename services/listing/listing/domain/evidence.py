"""Evidence (证明材料): documents a record relies on, kept with their SHA-256.

A declaration of a utility model or design relies on a favourable patent evaluation
report (专利权评价报告); a declaration of a jointly owned patent relies on each
co-owner's consent letter. Documents are uploaded once and referenced by id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum


class DocumentKind(StrEnum):
    EVALUATION_REPORT = "evaluation_report"  # 专利权评价报告
    CO_OWNER_CONSENT = "co_owner_consent"  # 共有人同意书
    PLEDGEE_CONSENT = "pledgee_consent"  # 质权人同意书
    TRANSFER_CONTRACT = "transfer_contract"  # 转让合同
    OTHER = "other"


class Conclusion(StrEnum):
    """An evaluation report's conclusion, as the uploader states it."""

    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"


# PDF, OFD (the national standard format for official documents, GB/T 33190) and scans.
CONTENT_TYPES = frozenset({"application/pdf", "application/ofd", "image/png", "image/jpeg"})


@dataclass(frozen=True)
class Evidence:
    id: str
    kind: DocumentKind
    application_number: str
    sha256: str
    party_uscc: str | None = None
    conclusion: Conclusion | None = None


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
