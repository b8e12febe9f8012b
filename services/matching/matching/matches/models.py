"""The matches area's own table: the operator's full re-match jobs (only ``matches``
reads and writes it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Integer
from sqlmodel import Field

from matching.models import MatchingTable


class RematchJobRecord(MatchingTable, table=True):
    """A full re-match: every matchable patent scored again against every seeker, in
    application-number order, one batch per transaction (``resume_after`` is where the
    next batch starts), with seekers' statistics built afresh when it starts."""

    __tablename__ = "rematch_jobs"

    job_id: str = Field(primary_key=True, max_length=36)
    state: str = Field(max_length=10)
    requested_by_org_id: str = Field(max_length=64)
    patents_total: int = Field(sa_column=Column(Integer, nullable=False))
    patents_done: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    matches_written: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    resume_after: str | None = Field(default=None, max_length=20)
    weights_version: str = Field(max_length=32)
    requested_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    started_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    finished_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
