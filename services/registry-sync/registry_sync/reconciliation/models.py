"""Reconciliation's tables: the runs and their mismatch rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Numeric,
    PrimaryKeyConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from registry_sync.models import RegistrySyncTable


class ReconciliationRunRecord(RegistrySyncTable, table=True):
    __tablename__ = "reconciliation_runs"
    __table_args__ = (
        # One daily run per day, however many instances try to take it.
        Index(
            "uq_reconciliation_runs_scheduled_day",
            "run_on",
            unique=True,
            postgresql_where=text("trigger = 'scheduled'"),
        ),
        Index(
            "ix_reconciliation_runs_pending",
            "requested_at",
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    run_on: date
    # scheduled | operator
    trigger: str = Field(max_length=10)
    # pending | completed
    status: str = Field(max_length=10)
    requested_by: str | None = Field(default=None, max_length=64)
    requested_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    completed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    counts: dict[str, int] | None = Field(default=None, sa_column=Column(JSONB))


class ReconciliationMismatchRecord(RegistrySyncTable, table=True):
    __tablename__ = "reconciliation_mismatches"
    # A run's rows in report order: the one index its inserts maintain.
    __table_args__ = (PrimaryKeyConstraint("run_id", "id", name="pk_reconciliation_mismatches"),)

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), nullable=False)
    )
    run_id: str = Field(max_length=36)
    reason: str = Field(max_length=24)
    application_number: str = Field(max_length=20)
    # license | transfer
    filing_type: str = Field(max_length=10)
    # The filing's side (None: no filing).
    filing_reference: str | None = Field(default=None, max_length=64)
    filing_number: str | None = Field(default=None, max_length=40)
    filed_on: date | None = None
    started_on: date | None = None
    filing_seller_uscc: str | None = Field(default=None, max_length=18)
    filing_buyer_uscc: str | None = Field(default=None, max_length=18)
    filing_license_kind: str | None = Field(default=None, max_length=12)
    filing_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    # The registration's side (None: no registration).
    registration_id: str | None = Field(default=None, max_length=36)
    registration_number: str | None = Field(default=None, max_length=40)
    registered_on: date | None = None
    registration_seller_uscc: str | None = Field(default=None, max_length=18)
    registration_buyer_uscc: str | None = Field(default=None, max_length=18)
    registration_license_kind: str | None = Field(default=None, max_length=12)
    registration_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
