"""License's tables. Its own registry and metadata: no other service shares them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from shared.db.infrastructure import define_infrastructure_tables, service_registry


class LicenseTable(SQLModel, registry=service_registry()):
    pass


metadata = LicenseTable.metadata
infrastructure = define_infrastructure_tables(metadata)


def _now() -> datetime:
    return datetime.now(UTC)


class DeclarationViewRecord(LicenseTable, table=True):
    """Open-licence declarations as learned from listing's events. The patent and terms
    columns are empty only while a withdrawal is known and its publication is not yet."""

    __tablename__ = "declaration_views"
    __table_args__ = (Index("ix_declaration_views_application_number", "application_number"),)

    declaration_id: str = Field(primary_key=True, max_length=64)
    application_number: str = Field(max_length=20)
    patent_number: str | None = Field(default=None, max_length=22)
    patent_type: str | None = Field(default=None, max_length=20)
    title: str | None = Field(default=None, max_length=500)
    patentees: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False)
    )
    terms_version: int | None = None
    terms: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    status: str = Field(max_length=20)
    announced_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    withdrawn_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    ended_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    suspension_changed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True))
    )
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class PledgeViewRecord(LicenseTable, table=True):
    """Pledged patents as learned from the pledge service's events, one row per patent."""

    __tablename__ = "pledge_views"
    __table_args__ = (Index("ix_pledge_views_patent_active", "application_number", "active"),)

    pledge_id: str = Field(primary_key=True, max_length=64)
    application_number: str = Field(primary_key=True, max_length=20)
    pledgee_name: str | None = Field(default=None, max_length=255)
    pledgee_org_id: str | None = Field(default=None, max_length=64)
    open_license_consented: bool = False
    registered_on: date | None = None
    cancelled_on: date | None = None
    active: bool = False
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class LicenseRecord(LicenseTable, table=True):
    """A licence taken (open licences now; negotiated ones later). ``terms`` is the copy
    of the terms version the licensee accepted: later versions never change it."""

    __tablename__ = "licenses"
    __table_args__ = (
        Index("ix_licenses_created_at_id", "created_at", "id"),
        Index("ix_licenses_licensee_created_at", "licensee_org_id", "created_at"),
        Index("ix_licenses_application_number", "application_number"),
        Index("ix_licenses_declaration_id", "declaration_id"),
        Index("ix_licenses_licensor_usccs", "licensor_usccs", postgresql_using="gin"),
        # A licensee holds at most one licence per declaration; other licensees are free
        # to take theirs at the same moment (open licences are non-exclusive).
        Index(
            "uq_licenses_held_per_declaration",
            "declaration_id",
            "licensee_org_id",
            unique=True,
            postgresql_where=text("status IN ('awaiting_payment', 'active', 'filed')"),
        ),
        # The deadline watch scans active (unfiled) licences by deadline.
        Index(
            "ix_licenses_filing_watch",
            "filing_deadline",
            postgresql_where=text("status = 'active' AND filing_alert <> 'overdue'"),
        ),
        # A licensee without a platform account has no org id (NULL), never an empty one.
        CheckConstraint("licensee_org_id <> ''", name="licensee_org_id_not_empty"),
        # The deadline watch scans the licences in force by term end (expiry).
        Index(
            "ix_licenses_expiry_watch",
            "term_end",
            postgresql_where=text("status IN ('active', 'filed')"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    declaration_id: str | None = Field(
        default=None, foreign_key="declaration_views.declaration_id", max_length=64
    )
    application_number: str = Field(max_length=20)
    patent_number: str = Field(max_length=22)
    kind: str = Field(max_length=20)
    status: str = Field(max_length=20)
    terms_version: int | None = None
    terms: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    licensors: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    licensor_usccs: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(String), nullable=False)
    )
    # None for a negotiated licence whose licensee has no platform account yet (USCC only).
    licensee_org_id: str | None = Field(default=None, max_length=64)
    licensee_name: str = Field(max_length=255)
    licensee_uscc: str | None = Field(default=None, max_length=18)
    licensee_org_type: str = Field(max_length=30)
    field_of_use: str | None = Field(default=None, max_length=200)
    # The negotiated deal the licence came out of (deals), if any.
    deal_id: str | None = Field(default=None, max_length=36)
    contact: str | None = Field(default=None, max_length=200)
    effective_date: date | None = None
    term_end: date | None = None
    filing_deadline: date | None = None
    contract_value: Decimal | None = Field(default=None, sa_column=Column(Numeric(17, 2)))
    filing_number: str | None = Field(default=None, max_length=64)
    filed_on: date | None = None
    # none -> due (reminder sent) -> overdue (alarm sent): the deadline watch's progress.
    filing_alert: str = Field(
        default="none",
        sa_column=Column(String(10), nullable=False, server_default="none"),
    )
    # Once the licence ended: the first day it is no longer in force, and why
    # (term_ended, a termination reason code, or a rescission's ground kind:reference).
    ended_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=200)
    end_note: str | None = Field(default=None, max_length=1000)
    # Consents to a termination by agreement, one per side, until the licence ends.
    termination_consents: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    )
    # New royalty rates agreed in mediation settlements (domain.royalty), oldest first.
    rate_amendments: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    )
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    activated_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    updated_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class LicensePaymentRecord(LicenseTable, table=True):
    """A payment the licensee reported, with its bank voucher."""

    __tablename__ = "license_payments"
    __table_args__ = (
        UniqueConstraint(
            "license_id", "voucher_reference", name="uq_license_payments_license_id_voucher"
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    license_id: str = Field(foreign_key="licenses.id", max_length=36)
    amount: Decimal = Field(sa_column=Column(Numeric(17, 2), nullable=False))
    currency: str = Field(max_length=3)
    voucher_reference: str = Field(max_length=100)
    paid_on: date
    activated_license: bool = False
    recorded_by_org_id: str = Field(max_length=64)
    # licensee (reported the payment) or licensor (confirmed receiving it).
    recorded_by_role: str = Field(
        default="licensee", sa_column=Column(String(10), nullable=False, server_default="licensee")
    )
    royalty_period_id: str | None = Field(
        default=None, foreign_key="royalty_periods.id", max_length=36
    )
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class PledgeConsentRecord(LicenseTable, table=True):
    """A pledgee's written consent recorded by the pledge service, one row per patent."""

    __tablename__ = "pledge_consents"
    __table_args__ = (Index("ix_pledge_consents_patent", "application_number", "pledge_id"),)

    id: str = Field(primary_key=True, max_length=36)
    pledge_id: str = Field(max_length=64)
    application_number: str = Field(max_length=20)
    consent_to: str = Field(max_length=20)
    counterparty_uscc: str | None = Field(default=None, max_length=18)
    pledgee_name: str = Field(max_length=255)
    recorded_on: date
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class RoyaltyPeriodRecord(LicenseTable, table=True):
    """One reporting period of a running-royalty licence: its report, what it fixed as
    due, what was paid against it, and whether its breaches are recorded."""

    __tablename__ = "royalty_periods"
    __table_args__ = (
        UniqueConstraint("license_id", "period_start", name="uq_royalty_periods_license_start"),
        Index(
            "ix_royalty_periods_watch",
            "due_date",
            postgresql_where=text("NOT (report_breach_recorded AND payment_breach_recorded)"),
        ),
    )

    id: str = Field(primary_key=True, max_length=36)
    license_id: str = Field(foreign_key="licenses.id", max_length=36)
    period_start: date
    period_end: date
    due_date: date
    royalty_base: str = Field(max_length=20)
    royalty_rate: Decimal = Field(sa_column=Column(Numeric(7, 4), nullable=False))
    # declared (the terms' royalty_schedule) or inferred (read from their payment_schedule
    # text): how this period's dates were fixed when the licence took effect.
    schedule_source: str = Field(
        sa_column=Column(String(10), nullable=False, server_default="inferred")
    )
    base_amount: Decimal | None = Field(default=None, sa_column=Column(Numeric(17, 2)))
    amount_due: Decimal | None = Field(default=None, sa_column=Column(Numeric(17, 2)))
    amount_paid: Decimal = Field(
        default=Decimal("0.00"),
        sa_column=Column(Numeric(17, 2), nullable=False, server_default="0"),
    )
    reported_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    reported_by_org_id: str | None = Field(default=None, max_length=64)
    report_breach_recorded: bool = False
    payment_breach_recorded: bool = False
    # Set to the licence's ended_on for a period that starts after the licence ended
    # unreported: it is never reported, paid or watched.
    cancelled_on: date | None = None


class LicenseBreachRecord(LicenseTable, table=True):
    """A missed obligation of one party of a licence (credit supervision)."""

    __tablename__ = "license_breaches"
    __table_args__ = (
        UniqueConstraint("license_id", "period_id", "kind", name="uq_license_breaches_once"),
        Index("ix_license_breaches_recorded_at_id", "recorded_at", "id"),
        Index("ix_license_breaches_party_uscc", "party_uscc"),
    )

    id: str = Field(primary_key=True, max_length=36)
    license_id: str = Field(foreign_key="licenses.id", max_length=36)
    application_number: str = Field(max_length=20)
    kind: str = Field(max_length=40)
    party_org_id: str | None = Field(default=None, max_length=64)
    party_name: str = Field(max_length=255)
    party_uscc: str | None = Field(default=None, max_length=18)
    period_id: str | None = Field(default=None, foreign_key="royalty_periods.id", max_length=36)
    due_date: date
    amount_outstanding: Decimal | None = Field(default=None, sa_column=Column(Numeric(17, 2)))
    recorded_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


# The tables one area keeps to itself live in that area (docs/architecture.md); they are
# imported here so that the service's metadata (its migrations, the schema check) holds
# every table.
from license.catalogue import models as catalogue_models  # noqa: E402, F401
from license.credit import models as credit_models  # noqa: E402, F401
from license.deals import models as deals_models  # noqa: E402, F401
from license.evidence import models as evidence_models  # noqa: E402, F401
from license.mediation import models as mediation_models  # noqa: E402, F401
