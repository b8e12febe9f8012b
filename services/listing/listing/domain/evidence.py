"""Evidence (证明材料): documents a record relies on, kept with their SHA-256.

A declaration of a utility model or design relies on a favourable patent evaluation
report (专利权评价报告); a declaration of a jointly owned patent relies on each
co-owner's consent letter. Documents are uploaded once and referenced by id.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shared.domain.documents import DocumentRefused


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


@dataclass(frozen=True)
class Evidence:
    id: str
    kind: DocumentKind
    application_number: str
    sha256: str
    party_uscc: str | None = None
    conclusion: Conclusion | None = None


@dataclass(frozen=True, kw_only=True)
class Document:
    """An uploaded document and what it is; ``content`` is None where only its metadata
    was loaded."""

    id: str
    application_number: str
    kind: DocumentKind
    party_uscc: str | None
    conclusion: Conclusion | None
    filename: str | None
    content_type: str
    size: int
    sha256: str
    uploaded_by_org_id: str
    created_at: datetime
    content: bytes | None = None


def check_kind(
    kind: DocumentKind,
    *,
    party_uscc: str | None,
    conclusion: Conclusion | None,
    patentees: Collection[str | None],
    application_number: str,
) -> None:
    """A consent letter names one of the patentees; an evaluation report states its
    conclusion."""
    if kind is DocumentKind.CO_OWNER_CONSENT and party_uscc not in patentees:
        raise DocumentRefused(
            "a co-owner's consent letter names the consenting co-owner's USCC (party_uscc), "
            f"one of the patentees of {application_number}"
        )
    if kind is DocumentKind.EVALUATION_REPORT and conclusion is None:
        raise DocumentRefused("an evaluation report states its conclusion")
