"""The filings view's table: one row per licence or transfer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, DateTime, Index, Numeric
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from registry_sync.models import RegistrySyncTable


class FilingRecord(RegistrySyncTable, table=True):
    __tablename__ = "filings"
    __table_args__ = (
        # Reconciliation joins on the patent and the type, then the parties.
        Index(
            "ix_filings_reconciliation",
            "application_number",
            "filing_type",
            "seller_uscc",
            "buyer_uscc",
        ),
    )

    # The licence id or the transfer deal id.
    source_reference: str = Field(primary_key=True, max_length=64)
    # license | transfer
    filing_type: str = Field(max_length=10)
    application_number: str = Field(max_length=20)
    patent_number: str | None = Field(default=None, max_length=24)
    # ordinary | sole | exclusive for a licence; None for a transfer.
    license_kind: str | None = Field(default=None, max_length=12)
    # The first seller's and buyer's USCC, for the join; every party in the lists.
    seller_uscc: str | None = Field(default=None, max_length=18)
    buyer_uscc: str | None = Field(default=None, max_length=18)
    sellers: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONB))
    buyers: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONB))
    contract_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    # A licence's effective date; a transfer's signing date.
    started_on: date | None = None
    # The licence's filing number and date, or the transfer's recordal number and date.
    filing_number: str | None = Field(default=None, max_length=40)
    filed_on: date | None = None
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
