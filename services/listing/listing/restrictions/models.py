"""The restrictions area's table: parties restricted by credit records."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime, Index
from sqlmodel import Field

from listing.models import ListingTable


class PartyRestrictionRecord(ListingTable, table=True):
    """One credit record's restriction of a party, from license's events."""

    __tablename__ = "party_restrictions"
    __table_args__ = (Index("ix_party_restrictions_party", "party_uscc"),)

    record_id: str = Field(primary_key=True, max_length=36)
    party_uscc: str = Field(max_length=18)
    party_name: str = Field(max_length=255)
    restricted_from: date | None = None
    restricted_until: date | None = None
    lifted: bool = False
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
