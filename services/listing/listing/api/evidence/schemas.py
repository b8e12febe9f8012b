"""Request and response bodies of evidence documents."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from listing.domain.evidence import Conclusion, DocumentKind
from shared.http.types import ApplicationNumberStr, UsccStr


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentUpload(_Input):
    """Query parameters of an upload; the request body is the document itself."""

    application_number: ApplicationNumberStr
    kind: DocumentKind
    party_uscc: UsccStr | None = Field(
        default=None, description="Whose consent a consent letter carries."
    )
    conclusion: Conclusion | None = Field(
        default=None, description="An evaluation report's conclusion (required for one)."
    )
    filename: str | None = Field(default=None, max_length=255, examples=["评价报告.pdf"])


class DocumentPublic(BaseModel):
    id: str
    application_number: str
    kind: DocumentKind
    party_uscc: str | None
    conclusion: Conclusion | None
    filename: str | None
    content_type: str = Field(examples=["application/pdf"])
    size: int
    sha256: str = Field(description="Hex SHA-256 of the content, as stored.")
    uploaded_by_org_id: str
    created_at: datetime
