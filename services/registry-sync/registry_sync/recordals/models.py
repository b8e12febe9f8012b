"""The recordals' table."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, Integer, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field

from registry_sync.models import RegistrySyncTable, _now


class PatentOfficeRecordalRecord(RegistrySyncTable, table=True):
    __tablename__ = "patent_office_recordals"
    __table_args__ = (
        Index("ix_patent_office_recordals_patent", "application_number"),
        # The worker's claim: open recordals by when they are next due.
        Index(
            "ix_patent_office_recordals_due",
            "next_attempt_at",
            postgresql_where="status IN ('pending', 'submitted')",
        ),
        Index("ix_patent_office_recordals_parties", "parties_uscc", postgresql_using="gin"),
    )

    id: str = Field(primary_key=True, max_length=36)
    # license_filing | transfer_registration
    kind: str = Field(max_length=24)
    # One recordal per licence or deal, however often its event arrives.
    source_reference: str = Field(max_length=64, unique=True)
    application_number: str = Field(max_length=20)
    request: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    parties_uscc: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(Text), nullable=False, server_default="{}")
    )
    status: str = Field(max_length=12)
    office_reference: str | None = Field(default=None, max_length=64)
    submitted_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    next_attempt_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    # Until then another worker may not take the recordal over (its call is under way).
    leased_until: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reasons: list[str] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default="[]")
    )
    number: str | None = Field(default=None, max_length=64)
    decided_on: date | None = None
    announced_on: date | None = None
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
