"""Registry-sync's tables. Its own registry and metadata: no other service shares them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, Index, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import JSONB
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
        # The workers' queue: what is ready or submitted, by when it is next due.
        Index("ix_tech_contract_registrations_due", "status", "next_attempt_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    # One registration per licence or transfer, however often its event arrives.
    source_reference: str = Field(max_length=64, unique=True)
    # open_license | negotiated_license | transfer
    source_kind: str = Field(default="open_license", max_length=20)
    application_number: str = Field(max_length=20)
    patent_number: str | None = Field(default=None, max_length=24)
    contract_category: str = Field(max_length=40)
    # ordinary | sole | exclusive for a licence contract; None for a transfer.
    license_kind: str | None = Field(default=None, max_length=12)
    seller_uscc: str | None = Field(default=None, max_length=18)
    buyer_uscc: str | None = Field(default=None, max_length=18)
    # Every party as submitted: [{"role", "name", "uscc", "country", "region_code"}].
    parties: list[dict[str, str | None]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default="[]")
    )
    technical_field: str | None = Field(default=None, max_length=200)
    ip_type: str | None = Field(default=None, max_length=30)
    contract_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    # 技术交易额: the part of the contract value paid for the technology itself.
    technology_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    currency: str = Field(default="CNY", max_length=3)
    status: str = Field(max_length=30)
    signed_on: date | None = None
    effective_date: date
    period_end: date | None = None
    filing_number: str | None = Field(default=None, max_length=40)
    filed_on: date | None = None
    recorded_on: date
    registration_due: date
    # The office's side: its receipt, its answer, what it certified.
    office_reference: str | None = Field(default=None, max_length=64)
    submitted_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    submission_attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    resubmissions: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    next_attempt_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The office's reasons, as JSON: [{"field", "code", "message"}].
    refusal_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    registration_number: str | None = Field(default=None, max_length=40)
    registered_on: date | None = None
    certified_contract_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    certified_technology_value: Decimal | None = Field(
        default=None, sa_column=Column(Numeric(18, 2))
    )
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


# The areas' tables (each in its area's ``models.py``), imported here so that the
# service's metadata (its migrations, the schema check) holds every table.
# The tables one area keeps to itself live in that area (docs/architecture.md); they are
# imported here so that the service's metadata (its migrations, the schema check) holds
# every table.
from registry_sync.catalogue import models as catalogue_models  # noqa: E402, F401
from registry_sync.filings import models as filings_models  # noqa: E402, F401
from registry_sync.legal_status import models as legal_status_models  # noqa: E402, F401
from registry_sync.reconciliation import models as reconciliation_models  # noqa: E402, F401
from registry_sync.recordals import models as recordals_models  # noqa: E402, F401
