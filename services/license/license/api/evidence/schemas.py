"""Request and response bodies of license's evidence documents."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from license.domain.evidence import DocumentKind


class DocumentUpload(BaseModel):
    """Query parameters of an upload; the request body is the document itself."""

    model_config = ConfigDict(extra="forbid")

    kind: DocumentKind
    filename: str | None = Field(default=None, max_length=255, examples=["催告函.pdf"])


class DocumentPublic(BaseModel):
    id: str
    kind: DocumentKind
    filename: str | None
    content_type: str = Field(examples=["application/pdf"])
    size: int
    sha256: str = Field(description="Hex SHA-256 of the content, as stored.")
    uploaded_by_org_id: str
    created_at: datetime
