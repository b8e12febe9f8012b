"""The statistics' tables: the counted acts and the patents' attributes, kept from the
public events (never read from another service's tables). Its own registry and metadata.

Figures are ``facts`` joined with ``patent_attributes`` when they are asked for, so a
patent's attributes learned late still place its earlier facts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Index,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from shared.db.infrastructure import define_infrastructure_tables, service_registry


class StatisticsTable(SQLModel, registry=service_registry()):
    pass


metadata = StatisticsTable.metadata
infrastructure = define_infrastructure_tables(metadata)


def _money() -> Any:
    return Field(default=None, sa_column=Column(Numeric(18, 2), nullable=True))


class FactRecord(StatisticsTable, table=True):
    """One counted act (domain/facts.py): a licence granted, a pledge registered, ..."""

    __tablename__ = "facts"
    __table_args__ = (
        UniqueConstraint("event_id", name="uq_facts_event_id"),
        # The monthly figures of one measure read this index alone (the national
        # breakdown by province joins the attributes by patent).
        Index(
            "ix_facts_measure_effective_on",
            "measure",
            "effective_on",
            postgresql_include=[
                "application_number",
                "detail",
                "party_org_id",
                "amount",
                "tech_amount",
            ],
        ),
    )

    # The act within its measure: a later event about it upserts this row.
    measure: str = Field(max_length=40, primary_key=True)
    fact_key: str = Field(max_length=120, primary_key=True)
    event_id: str = Field(max_length=100)
    effective_on: date = Field(sa_column=Column(Date, nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    application_number: str = Field(max_length=20)
    detail: str | None = Field(default=None, max_length=40)
    party_org_id: str | None = Field(default=None, max_length=64)
    amount: Decimal | None = _money()
    tech_amount: Decimal | None = _money()


class PatentAttributesRecord(StatisticsTable, table=True):
    """A patent's place, industry, owners, tier and inventory as listing's events said
    them last (domain/attributes.py); each group remembers when its statement held."""

    __tablename__ = "patent_attributes"
    __table_args__ = (
        Index(
            "ix_patent_attributes_owner_org_ids",
            "owner_org_ids",
            postgresql_using="gin",
        ),
        Index(
            "ix_patent_attributes_owner_usccs",
            "owner_usccs",
            postgresql_using="gin",
        ),
    )

    application_number: str = Field(max_length=20, primary_key=True)
    region_code: str | None = Field(default=None, max_length=6)
    province_code: str | None = Field(default=None, max_length=6)
    city_code: str | None = Field(default=None, max_length=6)
    place_as_of: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    industry_section: str | None = Field(default=None, max_length=1)
    industry_division: str | None = Field(default=None, max_length=3)
    industry_as_of: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    party_type: str | None = Field(default=None, max_length=20)
    owner_org_ids: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(String), nullable=False, server_default="{}"),
    )
    # The patentees' USCCs: listing's events often name a patentee by its USCC alone.
    owner_usccs: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(String), nullable=False, server_default="{}"),
    )
    owners_as_of: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    tier: str | None = Field(default=None, max_length=1)
    tier_as_of: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    inventoried_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
