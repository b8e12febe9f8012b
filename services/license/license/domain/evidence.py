"""Evidence (证明材料) of the license service: documents kept with their SHA-256 and
cited by id from the records that rely on them (credit records and objections today;
mediation and deals may cite them too).

License keeps its own documents: services never share tables, and a party's evidence
about a licence or a credit record is license's business, not listing's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DocumentKind(StrEnum):
    DECISION = "decision"  # 认定文书：行政处罚决定书、裁决书、判决书
    PAYMENT_NOTICE = "payment_notice"  # 催告函
    SETTLEMENT_AGREEMENT = "settlement_agreement"  # 调解协议
    CONTRACT = "contract"  # 合同
    STATEMENT = "statement"  # 情况说明、异议材料
    OTHER = "other"


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
