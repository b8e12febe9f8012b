"""The restatements area's own table (only ``listing/restatements`` reads and writes it):
the operator's restatement jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Integer
from sqlmodel import Field

from listing.models import ListingTable


class PatentRestatementJobRecord(ListingTable, table=True):
    """A restatement of the catalogue (domain/restatement.py)."""

    __tablename__ = "patent_restatement_jobs"

    job_id: str = Field(primary_key=True, max_length=36)
    requested_by_org_id: str = Field(max_length=64)
    state: str = Field(max_length=16)
    after: str | None = Field(default=None, max_length=20)
    restated: int = Field(sa_column=Column(Integer, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    finished_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
