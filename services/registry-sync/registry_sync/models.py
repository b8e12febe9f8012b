"""Registry-sync's tables. Its own registry and metadata: no other service shares them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Index, Numeric
from sqlmodel import Field, SQLModel

from shared.db.infrastructure import define_infrastructure_tables, service_registry


class RegistrySyncTable(SQLModel, registry=service_registry()):
    pass


metadata = RegistrySyncTable.metadata
infrastructure = define_infrastructure_tables(metadata)


def _now() -> datetime:
    return datetime.now(UTC)


class TechContractRegistrationRecord(RegistrySyncTable, table=True):
    __tablename__ = "tech_contract_registrations"
    __table_args__ = (
        Index("ix_tech_contract_registrations_patent", "application_number"),
        Index("ix_tech_contract_registrations_parties", "seller_uscc", "buyer_uscc"),
    )

    id: str = Field(primary_key=True, max_length=36)
    # One registration per licence or transfer, however often its event arrives.
    source_reference: str = Field(max_length=64, unique=True)
    application_number: str = Field(max_length=20)
    contract_category: str = Field(max_length=40)
    seller_uscc: str | None = Field(default=None, max_length=18)
    buyer_uscc: str | None = Field(default=None, max_length=18)
    contract_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    currency: str = Field(default="CNY", max_length=3)
    status: str = Field(max_length=30)
    registration_number: str | None = Field(default=None, max_length=40)
    effective_date: date
    recorded_on: date
    registration_due: date
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
