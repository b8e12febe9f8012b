"""The credit area's tables: credit records (with their history) and objections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, String, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field

from license.models import LicenseTable


class CreditRecordRecord(LicenseTable, table=True):
    """A credit record (信用记录) about one party; ``history`` is every change, in order."""

    __tablename__ = "credit_records"
    __table_args__ = (
        Index("ix_credit_records_party_created", "party_uscc", "created_at"),
        Index("ix_credit_records_state_created", "state", "created_at"),
        Index("ix_credit_records_evidence", "evidence", postgresql_using="gin"),
        # A breach is put before the regulator once.
        Index(
            "uq_credit_records_breach",
            "breach_id",
            unique=True,
            postgresql_where=text("breach_id IS NOT NULL"),
        ),
        # The sweep scans records in force by the end of their period.
        Index(
            "ix_credit_records_period_watch",
            "period_until",
            postgresql_where=text("state = 'in_force'"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    party_uscc: str = Field(max_length=18)
    party_name: str = Field(max_length=255)
    kind: str = Field(max_length=40)
    state: str = Field(max_length=20)
    facts: str | None = Field(default=None, max_length=4000)
    evidence: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    period_from: date | None = None
    period_until: date | None = None
    license_id: str | None = Field(default=None, max_length=36)
    breach_id: str | None = Field(default=None, max_length=36)
    recorded_by_org_id: str | None = Field(default=None, max_length=64)
    effective_on: date | None = None
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    history: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False)
    )


class CreditObjectionRecord(LicenseTable, table=True):
    """A party's objection (异议) to a credit record and the regulator's decision."""

    __tablename__ = "credit_objections"
    __table_args__ = (
        Index("ix_credit_objections_record", "record_id", "filed_at"),
        Index("ix_credit_objections_evidence", "evidence", postgresql_using="gin"),
        # One pending objection per record.
        Index(
            "uq_credit_objections_pending",
            "record_id",
            unique=True,
            postgresql_where=text("upheld IS NULL"),
        ),
        # The sweep scans pending objections by their decision deadline.
        Index(
            "ix_credit_objections_watch",
            "decide_by",
            postgresql_where=text("upheld IS NULL AND NOT overdue_alerted"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    record_id: str = Field(foreign_key="credit_records.id", max_length=36)
    grounds: str = Field(max_length=4000)
    evidence: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    filed_by_org_id: str = Field(max_length=64)
    filed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # Null while the decision period reaches a year the working-day calendar lacks.
    decide_by: date | None = None
    upheld: bool | None = None
    reason: str | None = Field(default=None, max_length=2000)
    decided_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    decided_by_org_id: str | None = Field(default=None, max_length=64)
    overdue_alerted: bool = False
