"""The mediation area's table: one row per case, its records (proceedings, sessions,
extensions, the settlement and its signatures) as JSON beside it, since only the case
reads and writes them and always whole."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field

from license.models import LicenseTable


def _now() -> datetime:
    return datetime.now(UTC)


class MediationCaseRecord(LicenseTable, table=True):
    """A dispute mediation case on a licence (专利纠纷调解). ``claims`` and the sessions'
    summaries are the parties' and the mediator's words: shown to the case's readers,
    never published."""

    __tablename__ = "mediation_cases"
    __table_args__ = (
        Index("ix_mediation_cases_created_at_id", "created_at", "id"),
        Index("ix_mediation_cases_license_id", "license_id"),
        Index("ix_mediation_cases_mediator_org_id", "mediator_org_id"),
        Index("ix_mediation_cases_licensee_org_id", "licensee_org_id"),
        Index("ix_mediation_cases_party_usccs", "party_usccs", postgresql_using="gin"),
        # The deadline watch scans the open cases only.
        Index(
            "ix_mediation_cases_deadline_watch",
            "status",
            postgresql_where=text("status IN ('requested', 'accepted')"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    license_id: str = Field(foreign_key="licenses.id", max_length=36)
    application_number: str = Field(max_length=20)
    patent_number: str = Field(max_length=22)
    licensee: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    licensors: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    licensee_org_id: str | None = Field(default=None, max_length=64)
    # Every party's USCC (licensee and licensors): who may read the case.
    party_usccs: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    requester_side: str = Field(max_length=10)
    requester: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    mediator_org_id: str = Field(max_length=64)
    mediator_name: str = Field(max_length=255)
    claims: str = Field(sa_column=Column(Text, nullable=False))
    dispute_arose_on: date
    requested_on: date
    # NULL while the working-day calendar lacks a year the count needs.
    acceptance_deadline: date | None = None
    acceptance_notice_on: date | None = None
    status: str = Field(max_length=20)
    respondent_agrees: bool | None = None
    answered_on: date | None = None
    proceedings: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    refusal_reason: str | None = Field(default=None, max_length=30)
    accepted_on: date | None = None
    closing_deadline: date | None = None
    # NULL (the deadline provisional) while the calendar lacks a year the count needs.
    closing_notice_on: date | None = None
    # The year the working-day calendar lacks that a deadline of the case waits for.
    calendar_year_missing: int | None = None
    extensions: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    sessions: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    settlement: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    closed_on: date | None = None
    termination_reason: str | None = Field(default=None, max_length=30)
    termination_note: str | None = Field(default=None, sa_column=Column(Text))
    # none -> due -> overdue per deadline: the deadline watch's progress.
    acceptance_alert: str = Field(
        default="none", sa_column=Column(String(10), nullable=False, server_default="none")
    )
    closing_alert: str = Field(
        default="none", sa_column=Column(String(10), nullable=False, server_default="none")
    )
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
