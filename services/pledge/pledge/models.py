"""Pledge's tables. Its own registry and metadata: no other service shares them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, DateTime, Index, Numeric, String
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from shared.db.infrastructure import define_infrastructure_tables, service_registry


class PledgeTable(SQLModel, registry=service_registry()):
    pass


metadata = PledgeTable.metadata
infrastructure = define_infrastructure_tables(metadata)


def _now() -> datetime:
    return datetime.now(UTC)


class PatentViewRecord(PledgeTable, table=True):
    """Pledge's view of the catalogue, from listing's patent events."""

    __tablename__ = "patent_views"

    application_number: str = Field(primary_key=True, max_length=20)
    patent_type: str = Field(max_length=20)
    title: str = Field(max_length=500)
    patentees: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    expiry_date: date
    legal_status: str = Field(max_length=20)
    annual_fee_status: str = Field(max_length=20)
    suspended: bool = False
    under_preservation: bool = False
    ipc_codes: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False, server_default="{}")
    )
    status_change_count: int = Field(
        default=0, description="Legal events seen (status changes), for valuation."
    )
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class DeclarationViewRecord(PledgeTable, table=True):
    """Open-licence declarations in force, from listing's declaration events."""

    __tablename__ = "declaration_views"
    __table_args__ = (Index("ix_declaration_views_patent", "application_number"),)

    declaration_id: str = Field(primary_key=True, max_length=36)
    application_number: str = Field(max_length=20)
    status: str = Field(max_length=20)
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class LicenseViewRecord(PledgeTable, table=True):
    """Licences granted, from the license service's events (valuation, consent), with
    their end once they ended."""

    __tablename__ = "license_views"
    __table_args__ = (Index("ix_license_views_patent", "application_number"),)

    license_id: str = Field(primary_key=True, max_length=64)
    application_number: str = Field(max_length=20)
    kind: str = Field(max_length=20)
    licensee_name: str = Field(max_length=255)
    effective_date: date
    contract_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    # Once the licence ended (expired, terminated, rescinded): the first day it is no
    # longer in force. An ended licence still counts as licensing history.
    ended_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=20)


class TransferViewRecord(PledgeTable, table=True):
    """Transfers agreed and not yet recorded with the patent office, from the license
    service's events: a patent being sold takes no new pledge."""

    __tablename__ = "transfer_views"
    __table_args__ = (Index("ix_transfer_views_patent", "application_number"),)

    deal_id: str = Field(primary_key=True, max_length=64)
    application_number: str = Field(max_length=20)
    transferees: str = Field(max_length=1000)
    signed_on: date


class PledgeRecord(PledgeTable, table=True):
    __tablename__ = "pledges"
    __table_args__ = (
        Index("ix_pledges_pledgee", "pledgee_org_id", "created_at"),
        Index("ix_pledges_pledgor", "pledgor_org_id", "created_at"),
    )

    id: str = Field(primary_key=True, max_length=36)
    status: str = Field(max_length=20)
    pledgor_org_id: str = Field(max_length=64)
    pledgor_name: str = Field(max_length=255)
    pledgor_uscc: str | None = Field(default=None, max_length=18)
    pledgee_org_id: str = Field(max_length=64)
    pledgee_name: str = Field(max_length=255)
    pledgee_uscc: str | None = Field(default=None, max_length=18)
    secured_amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    currency: str = Field(default="CNY", max_length=3)
    debt_term_end: date
    has_forfeiture_clause: bool = False
    co_owner_consents: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    application_numbers: list[str] = Field(sa_column=Column(ARRAY(String), nullable=False))
    registration_number: str | None = Field(default=None, max_length=40)
    registered_on: date | None = None
    registered_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True)),
        description="When the registration was recorded here (orders it against declarations).",
    )
    suspended_by: str | None = Field(default=None, max_length=36, description="Declaration id.")
    cancelled_on: date | None = None
    cancellation_reason: str | None = Field(default=None, max_length=30)
    approved_on: date | None = None
    refusal_reason: str | None = Field(default=None, max_length=500)
    correction_reason: str | None = Field(default=None, max_length=500)
    change_count: int = 0
    disbursed_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    disbursed_on: date | None = None
    outstanding_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    overdue_since: date | None = None
    defaulted_on: date | None = None
    disposal_method: str | None = Field(default=None, max_length=20)
    disposal_valuation: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    realised_on: date | None = None
    realisation_proceeds: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    buyer: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class PledgePatentRecord(PledgeTable, table=True):
    """Which patents a pledge covers (a pledge may cover a portfolio)."""

    __tablename__ = "pledge_patents"
    __table_args__ = (Index("ix_pledge_patents_patent", "application_number"),)

    pledge_id: str = Field(foreign_key="pledges.id", primary_key=True, max_length=36)
    application_number: str = Field(primary_key=True, max_length=20)


class PledgeConsentRecord(PledgeTable, table=True):
    """The pledgee's written consents (质权人同意) recorded against a pledge."""

    __tablename__ = "pledge_consents"
    __table_args__ = (Index("ix_pledge_consents_pledge", "pledge_id"),)

    id: str = Field(primary_key=True, max_length=36)
    pledge_id: str = Field(foreign_key="pledges.id", max_length=36)
    consent_to: str = Field(max_length=20)
    counterparty_uscc: str | None = Field(default=None, max_length=18)
    document_sha256: str | None = Field(default=None, max_length=64)
    recorded_on: date
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class BankPolicyRecord(PledgeTable, table=True):
    """A bank's own lending rules, applied on top of the registration office's."""

    __tablename__ = "bank_policies"

    bank_org_id: str = Field(primary_key=True, max_length=64)
    min_remaining_term_years: int
    loan_to_value_percent: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class BankTopicRecord(PledgeTable, table=True):
    """Banks whose private topic exists: a bank's topic is created when it is first seen."""

    __tablename__ = "bank_topics"

    bank_org_id: str = Field(primary_key=True, max_length=64)
    topic: str = Field(max_length=255)
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class RiskProgrammeRecord(PledgeTable, table=True):
    """A risk-compensation programme (风险补偿资金池) with its budget and loss-sharing split."""

    __tablename__ = "risk_programmes"

    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=255)
    region_code: str = Field(max_length=6)
    budget: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    remaining_budget: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    fund_share: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    bank_share: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    insurer_share: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    appraiser_share: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    max_secured_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    bank_org_ids: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class CompensationClaimRecord(PledgeTable, table=True):
    """One claim per defaulted pledge on a programme, with each party's share."""

    __tablename__ = "compensation_claims"

    id: str = Field(primary_key=True, max_length=36)
    pledge_id: str = Field(foreign_key="pledges.id", max_length=36, unique=True)
    programme_id: str = Field(foreign_key="risk_programmes.id", max_length=36)
    loss: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    shares: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    fund_shortfall: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    claimed_on: date
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ValuationRecord(PledgeTable, table=True):
    """One valuation with its method and version, its range and each factor's part."""

    __tablename__ = "valuations"
    __table_args__ = (Index("ix_valuations_pledge", "pledge_id"),)

    id: str = Field(primary_key=True, max_length=36)
    pledge_id: str | None = Field(default=None, foreign_key="pledges.id", max_length=36)
    requested_by: str = Field(max_length=64)
    application_numbers: list[str] = Field(sa_column=Column(ARRAY(String), nullable=False))
    method: str = Field(max_length=40)
    method_version: str = Field(max_length=10)
    low: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    point: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    high: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    patents: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    loan_to_value_percent: Decimal | None = Field(default=None, sa_column=Column(Numeric(7, 4)))
    proposed_max_loan: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    valued_on: date
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class InsuranceProductRecord(PledgeTable, table=True):
    __tablename__ = "insurance_products"

    id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=40)
    name: str = Field(max_length=255)
    insurer_org_id: str = Field(max_length=64)
    insurer_name: str = Field(max_length=255)
    premium_rate_percent: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    max_coverage: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class InsurancePolicyRecord(PledgeTable, table=True):
    """A policy bound to one pledge, licence or patent, depending on its product."""

    __tablename__ = "insurance_policies"
    __table_args__ = (Index("ix_insurance_policies_pledge", "pledge_id"),)

    id: str = Field(primary_key=True, max_length=36)
    product_id: str = Field(foreign_key="insurance_products.id", max_length=36)
    kind: str = Field(max_length=40)
    insurer_org_id: str = Field(max_length=64)
    insured_org_id: str = Field(max_length=64)
    insured_name: str = Field(max_length=255)
    pledge_id: str | None = Field(default=None, foreign_key="pledges.id", max_length=36)
    license_id: str | None = Field(default=None, max_length=64)
    application_numbers: list[str] = Field(sa_column=Column(ARRAY(String), nullable=False))
    coverage: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    premium: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    committed: Decimal = Field(
        default=Decimal(0),
        sa_column=Column(Numeric(18, 2), nullable=False),
        description="Approved claims, paid or not: what the coverage no longer offers.",
    )
    starts_on: date
    ends_on: date
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class InsuranceClaimRecord(PledgeTable, table=True):
    __tablename__ = "insurance_claims"
    __table_args__ = (Index("ix_insurance_claims_policy", "policy_id"),)

    id: str = Field(primary_key=True, max_length=36)
    policy_id: str = Field(foreign_key="insurance_policies.id", max_length=36)
    status: str = Field(max_length=20)
    amount: Decimal = Field(sa_column=Column(Numeric(18, 2), nullable=False))
    approved_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    incurred_on: date
    description: str = Field(max_length=1000)
    rejection_reason: str | None = Field(default=None, max_length=500)
    paid_on: date | None = None
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
