"""The industries area's own table (only ``listing/industries`` reads and writes it): the
operator's re-derivation jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Integer
from sqlmodel import Field

from listing.models import ListingTable


class IndustryRederiveJobRecord(ListingTable, table=True):
    """A re-derivation of catalogued patents' industry codes (domain/rederive.py)."""

    __tablename__ = "industry_rederive_jobs"

    job_id: str = Field(primary_key=True, max_length=36)
    concordance_version: str = Field(max_length=200)
    requested_by_org_id: str = Field(max_length=64)
    state: str = Field(max_length=16)
    after: str | None = Field(default=None, max_length=20)
    examined: int = Field(sa_column=Column(Integer, nullable=False))
    changed: int = Field(sa_column=Column(Integer, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    finished_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
