"""License's catalogue view: every patent listing registered (see domain.catalogue)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, String
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field

from license.models import LicenseTable


class CataloguedPatentRecord(LicenseTable, table=True):
    """A patent as listing last told it. ``as_of`` is the time of the newest listing event
    whose facts the row holds; the patentees and the status each keep their own, so a
    restatement never overwrites a later live change. The patent's columns are empty
    only while a live change arrived before the patent's registration or restatement."""

    __tablename__ = "catalogued_patents"
    __table_args__ = (
        Index("ix_catalogued_patents_patentee_usccs", "patentee_usccs", postgresql_using="gin"),
    )

    application_number: str = Field(primary_key=True, max_length=20)
    patent_number: str | None = Field(default=None, max_length=22)
    patent_type: str | None = Field(default=None, max_length=20)
    title: str | None = Field(default=None, max_length=500)
    patentees: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False)
    )
    patentee_usccs: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    legal_status: str | None = Field(default=None, max_length=20)
    annual_fee_status: str | None = Field(default=None, max_length=20)
    suspended: bool = False
    under_preservation: bool = False
    expiry_date: date | None = None
    as_of: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    patentees_as_of: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )
    status_as_of: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
