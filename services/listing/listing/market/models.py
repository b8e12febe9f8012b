"""The market's tables: supply listings (供) and technical needs (需). Listing's search
follows both (``search_xid``, listing.search.engine)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Index, Integer, Numeric, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from listing.models import ListingTable, search_xid_field


class SupplyListingRecord(ListingTable, table=True):
    """A patent offered for transfer or a negotiated licence."""

    __tablename__ = "supply_listings"
    __table_args__ = (
        Index(
            "uq_supply_listings_source_reference",
            "source_org_id",
            "external_reference",
            unique=True,
            postgresql_where=text("external_reference IS NOT NULL"),
        ),
        Index("ix_supply_listings_created", "created_at", "id"),
        Index("ix_supply_listings_search_feed", "search_xid", "id"),
        # The operator's review queue (a restricted party's listings), oldest first.
        Index(
            "ix_supply_listings_pending_review",
            "created_at",
            "id",
            postgresql_where=text("status = 'pending_review'"),
        ),
        # The expiry sweep: open listings by their end date.
        Index(
            "ix_supply_listings_open_valid_until",
            "valid_until",
            "id",
            postgresql_where=text("status <> 'closed' AND valid_until IS NOT NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    application_number: str = Field(max_length=20, index=True)
    kind: str = Field(max_length=16)
    title: str = Field(max_length=500)
    description: str | None = None
    asking_price: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    currency: str = Field(default="CNY", max_length=3)
    ipc_codes: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    industry_codes: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    region_code: str | None = Field(default=None, max_length=6)
    patent_type: str | None = Field(default=None, max_length=20)
    contact: str = Field(max_length=200)
    source_org_id: str = Field(max_length=64)
    source_org_name: str = Field(max_length=200)
    source_platform: str | None = Field(default=None, max_length=64)
    external_reference: str | None = Field(default=None, max_length=100)
    status: str = Field(default="published", max_length=16)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    source_uscc: str | None = Field(default=None, max_length=18)
    review_record_id: str | None = Field(default=None, max_length=36)
    rejection_reason: str | None = Field(default=None, max_length=1000)
    valid_until: date | None = None
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
    closed_reason: str | None = Field(default=None, max_length=16)
    closed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    closed_note: str | None = Field(default=None, max_length=500)
    search_xid: int = search_xid_field()


class DemandRecord(ListingTable, table=True):
    """An enterprise's technical need."""

    __tablename__ = "demands"
    __table_args__ = (
        Index(
            "uq_demands_source_reference",
            "source_org_id",
            "external_reference",
            unique=True,
            postgresql_where=text("external_reference IS NOT NULL"),
        ),
        Index("ix_demands_created", "created_at", "id"),
        # The expiry sweep: open demands by their deadline.
        Index(
            "ix_demands_open_deadline",
            "deadline",
            "id",
            postgresql_where=text("status <> 'closed'"),
        ),
        Index("ix_demands_search_feed", "search_xid", "id"),
    )

    id: str = Field(primary_key=True, max_length=36)
    title: str = Field(max_length=200)
    description: str
    technical_field: str | None = Field(default=None, max_length=200)
    ipc_codes: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    industry_codes: list[str] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    budget_min: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    budget_max: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    currency: str = Field(default="CNY", max_length=3)
    region_code: str | None = Field(default=None, max_length=6)
    deadline: date
    contact: str = Field(max_length=200)
    source_org_id: str = Field(max_length=64)
    source_org_name: str = Field(max_length=200)
    source_uscc: str | None = Field(default=None, max_length=18)
    source_platform: str | None = Field(default=None, max_length=64)
    external_reference: str | None = Field(default=None, max_length=100)
    status: str = Field(default="published", max_length=16)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
    closed_reason: str | None = Field(default=None, max_length=16)
    closed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    closed_note: str | None = Field(default=None, max_length=500)
    search_xid: int = search_xid_field()
