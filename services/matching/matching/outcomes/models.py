"""The outcome facts (what license, listing and pledge published about patents) and the
institution each inventoried patent is credited to, kept for the outcome figures (only
this area reads them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Date, DateTime, Index, Numeric, String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from matching.models import MatchingTable


class OutcomeFactRecord(MatchingTable, table=True):
    """A licence, transfer, pledge, royalty or implementation of a patent
    (domain/outcome.py): the same fact published again stays one row."""

    __tablename__ = "outcome_facts"
    __table_args__ = (
        Index("ix_outcome_facts_patent_kind", "application_number", "kind"),
        Index(
            "ix_outcome_facts_royalty_license",
            "license_id",
            postgresql_where="kind = 'royalty'",
        ),
    )

    kind: str = Field(primary_key=True, max_length=16)
    fact_id: str = Field(primary_key=True, max_length=64)
    application_number: str = Field(primary_key=True, max_length=20)
    effective_on: date = Field(sa_column=Column(Date, nullable=False))
    counterparty_usccs: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(String), nullable=False, server_default="{}"),
    )
    party_usccs: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(String), nullable=False, server_default="{}"),
    )
    amount_cny: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    license_id: str | None = Field(default=None, max_length=64)
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class InventoryingInstitutionRecord(MatchingTable, table=True):
    """The institution that inventoried a patent: its outcomes stay credited to it when
    the patent is later transferred away."""

    __tablename__ = "inventorying_institutions"
    __table_args__ = (Index("ix_inventorying_institutions_uscc", "institution_uscc"),)

    application_number: str = Field(primary_key=True, max_length=20)
    institution_uscc: str = Field(max_length=18)
    institution_name: str = Field(max_length=200)
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
