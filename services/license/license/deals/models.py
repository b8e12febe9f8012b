"""Negotiated deals and their parties' signed contract documents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, LargeBinary, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from license.models import LicenseTable, _now


class DealRecord(LicenseTable, table=True):
    """A deal with its offers (``offers``: the history, oldest first; one open while it
    is negotiated). Offers stay inside the row: they are only ever read with their deal."""

    __tablename__ = "deals"
    __table_args__ = (
        Index("ix_deals_created_at_id", "created_at", "id"),
        Index("ix_deals_application_number_state", "application_number", "state"),
        Index("ix_deals_patentee_uscc", "patentee_uscc"),
        Index("ix_deals_counterparty_uscc", "counterparty_uscc"),
    )

    id: str = Field(primary_key=True, max_length=36)
    application_number: str = Field(max_length=20)
    patent_number: str = Field(max_length=22)
    subject: str = Field(max_length=20)
    owners: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    patentee_name: str = Field(max_length=255)
    patentee_uscc: str = Field(max_length=18)
    patentee_org_id: str | None = Field(default=None, max_length=64)
    patentee_org_type: str | None = Field(default=None, max_length=30)
    counterparty_name: str = Field(max_length=255)
    counterparty_uscc: str = Field(max_length=18)
    counterparty_org_id: str | None = Field(default=None, max_length=64)
    counterparty_org_type: str | None = Field(default=None, max_length=30)
    opened_by: str = Field(max_length=20)
    state: str = Field(max_length=20)
    offers: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    failure_reason: str | None = Field(default=None, max_length=500)
    license_id: str | None = Field(default=None, max_length=36)
    recordal_number: str | None = Field(default=None, max_length=64)
    recorded_on: date | None = None
    agreed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class DealSignatureRecord(LicenseTable, table=True):
    """A party's signed contract document (the evidence) with its SHA-256."""

    __tablename__ = "deal_signatures"
    __table_args__ = (UniqueConstraint("deal_id", "side", name="uq_deal_signatures_once"),)

    id: str = Field(primary_key=True, max_length=36)
    deal_id: str = Field(foreign_key="deals.id", max_length=36)
    side: str = Field(max_length=20)
    signer_org_id: str = Field(max_length=64)
    signer_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    content_type: str = Field(max_length=50)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    signed_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
