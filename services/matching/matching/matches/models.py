"""The matches area's own table: the operator's full re-match jobs (only ``matches``
reads and writes it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from matching.models import MatchingTable


class RematchJobRecord(MatchingTable, table=True):
    """A full re-match: every matchable patent scored again against every seeker, one
    batch per transaction, with the seekers' statistics built afresh when it starts."""

    __tablename__ = "rematch_jobs"

    job_id: str = Field(primary_key=True, max_length=36)
    state: str = Field(max_length=10)
    requested_by_org_id: str = Field(max_length=64)
    patents_total: int = Field(sa_column=Column(Integer, nullable=False))
    patents_done: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    matches_written: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    # Where the next batch starts: patents go in (industry codes, application number)
    # order, so that patents sharing candidates are scored together.
    resume_codes: list[str] | None = Field(default=None, sa_column=Column(ARRAY(String)))
    resume_after: str | None = Field(default=None, max_length=20)
    weights_version: str = Field(max_length=32)
    requested_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    started_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    finished_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
