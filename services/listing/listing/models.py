"""Listing's tables. Its own registry and metadata: no other service shares them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CHAR,
    Boolean,
    Column,
    DateTime,
    Index,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from shared.db.infrastructure import define_infrastructure_tables, service_registry


class ListingTable(SQLModel, registry=service_registry()):
    pass


metadata = ListingTable.metadata
infrastructure = define_infrastructure_tables(metadata)


class PatentRecord(ListingTable, table=True):
    __tablename__ = "patents"
    __table_args__ = (
        Index("ix_patents_search_keys", "search_keys", postgresql_using="gin"),
        Index("ix_patents_filing_date", "filing_date", "application_number"),
        Index("ix_patents_offer_price", "offer_price", "application_number"),
    )

    application_number: str = Field(primary_key=True, max_length=20)
    patent_number: str = Field(max_length=22)
    patent_type: str = Field(max_length=20)
    title: str = Field(max_length=500)
    abstract: str | None = None
    ipc_codes: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    industry_codes: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    patentees: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    region_code: str | None = Field(default=None, max_length=6)
    filing_date: date
    grant_date: date | None = None
    expiry_date: date
    term_adjustment_days: int = 0
    legal_status: str = Field(max_length=20)
    annual_fee_status: str = Field(max_length=20)
    suspended: bool = False
    under_preservation: bool = False
    state_funded: bool = False
    evaluation_report_favourable: bool | None = None
    registered_by_org_id: str = Field(max_length=64)
    # Search (domain/search.py): the bigrams of title and abstract with the filterable
    # facts (one GIN index), the normalised text keywords are confirmed against, the
    # filterable facts alone (checked on rows read in sort order), and the open-licence
    # offer in force.
    search_keys: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    facet_keys: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    offer_payment_mode: str | None = Field(default=None, max_length=32)
    offer_price: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    # The public facts of its inventory (inventory_records keeps the rest), copied here so
    # search filters them like every other fact; the funding sweep sets the flag.
    tier: str | None = Field(default=None, sa_column=Column(CHAR(1)))
    willingness: str | None = Field(default=None, max_length=16)
    intended_modes: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False, server_default="{}")
    )
    unexploited_flagged_on: date | None = None
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class DeclarationRecord(ListingTable, table=True):
    __tablename__ = "declarations"
    __table_args__ = (Index("ix_declarations_patent_status", "application_number", "status"),)

    id: str = Field(primary_key=True, max_length=36)
    application_number: str = Field(foreign_key="patents.application_number", max_length=20)
    status: str = Field(max_length=30)
    declarant_org_id: str = Field(max_length=64)
    declarant_uscc: str | None = Field(default=None, max_length=18)
    current_terms_version: int = 1
    description: str | None = None
    contact: str | None = None
    evidence_document_ids: list[str] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default="[]")
    )
    co_owner_consents: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    announced_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    withdrawn_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    withdrawal_requested_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )
    ended_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True)), description="Lapsed or expired."
    )
    status_reason: str | None = Field(default=None, max_length=500)
    suspended_by: str | None = Field(
        default=None, max_length=64, description="The pledge or licence that suspended it."
    )


class DeclarationTermsRecord(ListingTable, table=True):
    """Each change of terms is a new immutable version; licensees keep the one they took."""

    __tablename__ = "declaration_terms"

    declaration_id: str = Field(foreign_key="declarations.id", primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    terms: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class EncumbranceRecord(ListingTable, table=True):
    """Listing's view of pledges and exclusive/sole licences, kept from other services' events."""

    __tablename__ = "encumbrances"
    __table_args__ = (Index("ix_encumbrances_patent_active", "application_number", "active"),)

    application_number: str = Field(primary_key=True, max_length=20)
    kind: str = Field(primary_key=True, max_length=30)
    reference_id: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=255)
    active: bool = True
    open_license_consented: bool = False
    effective_from: date
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


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


class TimelineEntryRecord(ListingTable, table=True):
    """One event about one patent, from any service: the patent's history."""

    __tablename__ = "patent_timeline"
    __table_args__ = (
        Index("ix_patent_timeline_patent_time", "application_number", "occurred_at", "event_id"),
    )

    event_id: str = Field(primary_key=True, max_length=255)
    application_number: str = Field(primary_key=True, max_length=20)
    event_type: str = Field(max_length=255)
    source: str = Field(max_length=255)
    occurred_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    actor: str | None = Field(default=None, max_length=255)
    data: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))


class DocumentRecord(ListingTable, table=True):
    """An uploaded document (evaluation report, consent letter) and its SHA-256."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_patent", "application_number", "kind"),)

    id: str = Field(primary_key=True, max_length=36)
    application_number: str = Field(max_length=20)
    kind: str = Field(max_length=32)
    party_uscc: str | None = Field(default=None, max_length=18)
    conclusion: str | None = Field(default=None, max_length=16)
    filename: str | None = Field(default=None, max_length=255)
    content_type: str = Field(max_length=64)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_by_org_id: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PledgeeConsentRecord(ListingTable, table=True):
    """A pledgee's recorded consent (from the pledge service's events): to a transfer,
    optionally to one transferee only."""

    __tablename__ = "pledgee_consents"

    pledge_id: str = Field(primary_key=True, max_length=64)
    application_number: str = Field(primary_key=True, max_length=20)
    consent_to: str = Field(primary_key=True, max_length=20)
    counterparty_uscc: str = Field(
        primary_key=True, max_length=18, description="Empty: any counterparty."
    )
    recorded_on: date


# -- the inventory of stock patents (listing/inventory) ----------------------------------


class PatentInventoryRecord(ListingTable, table=True):
    """A patent's inventory record (domain/inventory.py): who owns and invented it, what
    the institution wants to do with it, and its tier (the tier in force: the override if
    any, else the computed one)."""

    __tablename__ = "inventory_records"
    __table_args__ = (Index("ix_inventory_records_institution", "institution_uscc"),)

    application_number: str = Field(
        primary_key=True, max_length=20, foreign_key="patents.application_number"
    )
    institution_uscc: str = Field(max_length=18)
    institution_name: str = Field(max_length=200)
    inventors: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    willingness: str = Field(max_length=16)
    intended_modes: list[str] = Field(sa_column=Column(ARRAY(String), nullable=False))
    portfolios: list[str] = Field(sa_column=Column(ARRAY(String), nullable=False))
    state_funding_project: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, sa_column=Column(Text))
    evaluated: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    tier: str | None = Field(default=None, sa_column=Column(CHAR(1)))
    computed_tier: str | None = Field(default=None, sa_column=Column(CHAR(1)))
    rule_version: str | None = Field(default=None, max_length=32)
    rule_id: str | None = Field(default=None, max_length=16)
    reasons: list[str] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default="[]")
    )
    override_tier: str | None = Field(default=None, sa_column=Column(CHAR(1)))
    override_reason: str | None = Field(default=None, sa_column=Column(Text))
    recorded_by_org_id: str = Field(max_length=64)
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class EvaluationRecord(ListingTable, table=True):
    """One version of an evaluation (发明人自评 or 单位集中评价); never changed."""

    __tablename__ = "evaluations"

    application_number: str = Field(
        primary_key=True, max_length=20, foreign_key="patents.application_number"
    )
    kind: str = Field(primary_key=True, max_length=20)
    version: int = Field(primary_key=True)
    evaluator_org_id: str = Field(max_length=64)
    evaluator_org_name: str = Field(max_length=200)
    evaluator_uscc: str | None = Field(default=None, max_length=18)
    evaluator_person: str = Field(max_length=100)
    evaluated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    readiness_level: int = Field(sa_column=Column(SmallInteger, nullable=False))
    application_scenarios: str = Field(sa_column=Column(Text, nullable=False))
    scenario_industry_codes: list[str] = Field(sa_column=Column(ARRAY(String), nullable=False))
    prospects_score: int = Field(sa_column=Column(SmallInteger, nullable=False))
    prospects: str = Field(sa_column=Column(Text, nullable=False))
    market_size: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    investment_needed: Decimal | None = Field(default=None, sa_column=Column(Numeric(18, 2)))
    improvement_needed: str | None = Field(default=None, sa_column=Column(Text))


class TierChangeRecord(ListingTable, table=True):
    """A patent's tier history: every change of its computed tier or its override."""

    __tablename__ = "tier_changes"

    application_number: str = Field(primary_key=True, max_length=20)
    seq: int = Field(primary_key=True)
    tier: str | None = Field(default=None, sa_column=Column(CHAR(1)))
    previous_tier: str | None = Field(default=None, sa_column=Column(CHAR(1)))
    in_force: bool = Field(sa_column=Column(Boolean, nullable=False))
    source: str = Field(max_length=20)
    rule_version: str | None = Field(default=None, max_length=32)
    reasons: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    actor: str = Field(max_length=64)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class MatchFeedbackRecord(ListingTable, table=True):
    """An enterprise's feedback on a patent, from matching's events (the latest per
    feedback id counts): the tier rules read their counts."""

    __tablename__ = "match_feedback"
    __table_args__ = (Index("ix_match_feedback_patent", "application_number"),)

    feedback_id: str = Field(primary_key=True, max_length=64)
    application_number: str = Field(max_length=20)
    enterprise_uscc: str | None = Field(default=None, max_length=18)
    will_implement: str = Field(max_length=16)
    wants_cooperation: bool = Field(sa_column=Column(Boolean, nullable=False))
    market_evaluation: str = Field(max_length=16)
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
