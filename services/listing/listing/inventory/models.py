"""The inventory area's own tables (only ``listing/inventory`` reads and writes them):
records, evaluations, tier history and enterprises' feedback. Coverage reads
``inventory_records`` in SQL (``listing/coverage/queries.py``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CHAR, Boolean, Column, DateTime, Index, Numeric, SmallInteger, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field

from listing.models import ListingTable


class PatentInventoryRecord(ListingTable, table=True):
    """A patent's inventory record (domain/inventory.py): who owns and invented it, what
    the institution wants to do with it, and its tier (the tier in force: the override if
    any, else the computed one)."""

    __tablename__ = "inventory_records"
    __table_args__ = (
        Index("ix_inventory_records_institution", "institution_uscc"),
        # Coverage figures read a patent's inventory facts here, never the table
        # (coverage.queries).
        Index(
            "ix_inventory_records_coverage",
            "application_number",
            postgresql_include=["evaluated", "tier"],
        ),
    )

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
