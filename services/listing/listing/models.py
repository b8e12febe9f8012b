"""Listing's tables. Its own registry and metadata: no other service shares them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CHAR,
    BigInteger,
    Column,
    DateTime,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from shared.db.infrastructure import define_infrastructure_tables, service_registry
from shared.uploads.tables import define_upload_tables


class ListingTable(SQLModel, registry=service_registry()):
    pass


metadata = ListingTable.metadata
infrastructure = define_infrastructure_tables(metadata)
# Inventory uploads' jobs, their files and row errors (shared.uploads).
upload_tables = define_upload_tables(metadata)


def search_xid_field() -> Any:
    """The transaction that last wrote the row (a row trigger sets it; migration
    20261207_search_feed): what the relevance indexes follow (listing.search.engine)."""
    return Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


class PatentRecord(ListingTable, table=True):
    __tablename__ = "patents"
    __table_args__ = (
        Index("ix_patents_search_keys", "search_keys", postgresql_using="gin"),
        Index("ix_patents_search_feed", "search_xid", "application_number"),
        Index("ix_patents_filing_date", "filing_date", "application_number"),
        Index("ix_patents_offer_price", "offer_price", "application_number"),
        # The state-funded sweep's lists: the flagged patents, and its candidates.
        Index(
            "ix_patents_unexploited_flagged",
            "unexploited_flagged_on",
            "application_number",
            postgresql_where=text("unexploited_flagged_on IS NOT NULL"),
        ),
        Index(
            "ix_patents_state_funded_unflagged",
            "grant_date",
            "application_number",
            postgresql_where=text("state_funded AND unexploited_flagged_on IS NULL"),
        ),
        # The term sweep's candidates: patents in force, by the last day of their term.
        Index(
            "ix_patents_valid_expiry",
            "expiry_date",
            "application_number",
            postgresql_where=text("legal_status = 'valid'"),
        ),
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
    search_xid: int = search_xid_field()


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
    fee_reduction_withheld_by: str | None = Field(
        default=None, max_length=36, description="The credit record withholding the reduction."
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
    # When the pledge was cancelled or the licence ended (active false): kept as history.
    released_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


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


class InstitutionHoldingRecord(ListingTable, table=True):
    """One university's or research institute's holding of a catalogued patent
    (domain/holding.py): what coverage figures are counted over."""

    __tablename__ = "institution_holdings"
    __table_args__ = (
        Index("ix_institution_holdings_patent", "application_number"),
        Index("ix_institution_holdings_region", "province", "city"),
        # An institution's figures scan its valid holdings here, never the table
        # (coverage.queries).
        Index(
            "ix_institution_holdings_valid",
            "uscc",
            "application_number",
            postgresql_where=text("valid"),
        ),
    )

    uscc: str = Field(primary_key=True, max_length=18)
    application_number: str = Field(
        primary_key=True, foreign_key="patents.application_number", max_length=20
    )
    name: str = Field(max_length=500)
    party_type: str = Field(max_length=20)
    province: str | None = Field(default=None, max_length=6)
    city: str | None = Field(default=None, max_length=6)
    valid: bool
    counted: bool


class ImplementationRecord(ListingTable, table=True):
    """What exploits a patent (domain/funding.py): licences, transfers, declarations."""

    __tablename__ = "implementations"
    __table_args__ = (
        Index(
            "uq_implementations_reference",
            "application_number",
            "kind",
            "reference",
            unique=True,
            postgresql_where=text("reference IS NOT NULL"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    application_number: str = Field(max_length=20, index=True)
    kind: str = Field(max_length=20)
    occurred_on: date
    reference: str | None = Field(default=None, max_length=255)
    description: str | None = Field(default=None, sa_column=Column(Text))
    evidence_document_ids: list[str] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default="[]")
    )
    recorded_by_org_id: str | None = Field(default=None, max_length=64)
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


# The tables one area keeps to itself live in that area (docs/architecture.md); they are
# imported here so that the service's metadata (its migrations, the schema check) holds
# every table.
from listing.industries import models as industries_models  # noqa: E402, F401
from listing.inventory import models as inventory_models  # noqa: E402, F401
from listing.market import models as market_models  # noqa: E402, F401
from listing.restatements import models as restatements_models  # noqa: E402, F401
from listing.restrictions import models as restrictions_models  # noqa: E402, F401
