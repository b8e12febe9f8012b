"""The evidence area's table: documents kept with their SHA-256."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Index, LargeBinary
from sqlmodel import Field

from license.models import LicenseTable


class DocumentRecord(LicenseTable, table=True):
    """An uploaded document (a decision, a payment notice, a settlement, a statement)."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_uploaded_by", "uploaded_by_org_id", "created_at"),)

    id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=32)
    filename: str | None = Field(default=None, max_length=255)
    content_type: str = Field(max_length=64)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by_org_id: str = Field(max_length=64)
    uploaded_by_uscc: str | None = Field(default=None, max_length=18)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
