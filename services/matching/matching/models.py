"""Matching's tables. Its own registry and metadata: no other service shares them.

The tables here are read by several areas: the patents and needs the catalogue keeps
from listing's events, the enterprise profiles, the matches the engine keeps, the
pushes in enterprises' inboxes, and the queue of what waits to be matched. An area that
alone reads a table keeps it beside its use cases (``<area>/models.py``); those modules
are imported at the bottom so that this metadata holds every table.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from shared.db.infrastructure import define_infrastructure_tables, service_registry
from shared.uploads.tables import define_upload_tables


class MatchingTable(SQLModel, registry=service_registry()):
    pass


metadata = MatchingTable.metadata
infrastructure = define_infrastructure_tables(metadata)
# The operator's profile imports: jobs, files and row errors (shared.uploads).
upload_tables = define_upload_tables(metadata)


def _text_array(*, nullable: bool = False) -> Any:
    return Field(
        default_factory=list,
        sa_column=Column(ARRAY(String), nullable=nullable, server_default="{}"),
    )


def _timestamp() -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PatentRecord(MatchingTable, table=True):
    """A patent as matching knows it from listing's events (domain/patent.py)."""

    __tablename__ = "patents"
    __table_args__ = (
        Index("ix_patents_industry_divisions", "industry_divisions", postgresql_using="gin"),
        Index("ix_patents_institution", "institution_uscc"),
        # The full re-match's order: patents sharing industry codes share candidates.
        Index("ix_patents_rematch_order", "industry_codes", "application_number"),
    )

    application_number: str = Field(primary_key=True, max_length=20)
    title: str = Field(sa_column=Column(Text, nullable=False))
    abstract: str | None = Field(default=None, sa_column=Column(Text))
    # The segmented title and abstract; NULL until the matcher has segmented them.
    tokens: list[str] | None = Field(default=None, sa_column=Column(ARRAY(String)))
    ipc_codes: list[str] = _text_array()
    industry_codes: list[str] = _text_array()
    # The divisions of the codes (C3841 -> C38): an enterprise's or a need's candidate
    # patents are found by division through a GIN index.
    industry_divisions: list[str] = _text_array()
    region_code: str | None = Field(default=None, sa_column=Column(CHAR(6)))
    institution_uscc: str | None = Field(default=None, max_length=18)
    institution_name: str | None = Field(default=None, max_length=200)
    patentees: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    valid: bool = Field(sa_column=Column(Boolean, nullable=False))
    tier: str | None = Field(default=None, sa_column=Column(CHAR(1)))
    willingness: str | None = Field(default=None, max_length=16)
    intended_modes: list[str] = _text_array()
    declared: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    listed: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    listing_ids: list[str] = _text_array()
    inventoried: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    revision: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    updated_at: datetime = _timestamp()


def _change_seq() -> Any:
    """A number from ``seeker_changes``, given again by a trigger on every update: each
    instance's index of seekers takes what changed since the numbers it has seen."""
    return Field(
        default=None,
        sa_column=Column(
            BigInteger, nullable=False, server_default=text("nextval('seeker_changes')")
        ),
    )


class NeedRecord(MatchingTable, table=True):
    """A technical need (技术需求) published in listing, matched to patents for its
    requester."""

    __tablename__ = "needs"
    __table_args__ = (
        Index("ix_needs_requester", "requester_uscc"),
        Index("ix_needs_change_seq", "change_seq"),
    )

    need_id: str = Field(primary_key=True, max_length=64)
    requester_org_id: str | None = Field(default=None, max_length=64)
    requester_uscc: str | None = Field(default=None, max_length=18)
    requester_name: str = Field(max_length=200)
    title: str = Field(sa_column=Column(Text, nullable=False))
    description: str = Field(sa_column=Column(Text, nullable=False))
    technical_field: str | None = Field(default=None, sa_column=Column(Text))
    tokens: list[str] | None = Field(default=None, sa_column=Column(ARRAY(String)))
    ipc_codes: list[str] = _text_array()
    industry_codes: list[str] = _text_array()
    region_code: str | None = Field(default=None, sa_column=Column(CHAR(6)))
    deadline: date
    open: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    updated_at: datetime = _timestamp()
    change_seq: int | None = _change_seq()


class EnterpriseProfileRecord(MatchingTable, table=True):
    """An enterprise's profile (domain/profile.py). Only the enterprise itself sets
    ``push_consent``: an imported profile receives no push until it does."""

    __tablename__ = "enterprise_profiles"
    __table_args__ = (
        Index("ix_enterprise_profiles_industry_codes", "industry_codes", postgresql_using="gin"),
        Index("ix_enterprise_profiles_org", "org_id"),
        Index("ix_enterprise_profiles_change_seq", "change_seq"),
    )

    uscc: str = Field(primary_key=True, max_length=18)
    org_id: str | None = Field(default=None, max_length=64)
    name: str = Field(max_length=200)
    region_code: str = Field(sa_column=Column(CHAR(6), nullable=False))
    industry_codes: list[str] = _text_array()
    strategic_codes: list[str] = _text_array()
    size: str = Field(max_length=8)
    qualifications: list[str] = _text_array()
    products: str = Field(default="", sa_column=Column(Text, nullable=False))
    technical_needs: str = Field(default="", sa_column=Column(Text, nullable=False))
    tokens: list[str] | None = Field(default=None, sa_column=Column(ARRAY(String)))
    push_consent: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    industries_opted_in: list[str] = _text_array()
    industries_opted_out: list[str] = _text_array()
    source: str = Field(max_length=8)
    revision: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()
    change_seq: int | None = _change_seq()


class MatchRecord(MatchingTable, table=True):
    """One of a patent's best enterprises, with the explanation of its score."""

    __tablename__ = "matches"
    __table_args__ = (Index("ix_matches_enterprise", "enterprise_uscc", "score"),)

    application_number: str = Field(primary_key=True, max_length=20)
    enterprise_uscc: str = Field(primary_key=True, max_length=18)
    score: float = Field(sa_column=Column(Float, nullable=False))
    factors: dict[str, float] = Field(sa_column=Column(JSONB, nullable=False))
    matched_terms: list[str] = _text_array()
    industry_links: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    weights_version: str = Field(max_length=32)
    patent_revision: int = Field(sa_column=Column(Integer, nullable=False))
    via_need_id: str | None = Field(default=None, max_length=64)
    computed_at: datetime = _timestamp()


class PushRecord(MatchingTable, table=True):
    """A match pushed to an enterprise's inbox; a patent reaches an enterprise again
    only at a higher revision (its tier, terms or listing changed)."""

    __tablename__ = "pushes"
    __table_args__ = (
        Index(
            "uq_pushes_enterprise_patent_revision",
            "enterprise_uscc",
            "application_number",
            "patent_revision",
            unique=True,
        ),
        Index("ix_pushes_enterprise_pushed_at", "enterprise_uscc", "pushed_at"),
        Index("ix_pushes_patent", "application_number"),
        Index("ix_pushes_campaign", "campaign_id"),
    )

    push_id: str = Field(primary_key=True, max_length=36)
    enterprise_uscc: str = Field(max_length=18)
    application_number: str = Field(max_length=20)
    patent_revision: int = Field(sa_column=Column(Integer, nullable=False))
    score: float = Field(sa_column=Column(Float, nullable=False))
    explanation: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    weights_version: str = Field(max_length=32)
    campaign_id: str | None = Field(default=None, max_length=36)
    pushed_at: datetime = _timestamp()
    opened_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class FeedbackRecord(MatchingTable, table=True):
    """An enterprise's market evaluation (企业市场化评价) of a patent pushed to it; recorded
    again, it replaces the earlier answer. Campaigns and outcomes count it."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index(
            "uq_feedback_enterprise_patent", "enterprise_uscc", "application_number", unique=True
        ),
        Index("ix_feedback_patent", "application_number"),
    )

    feedback_id: str = Field(primary_key=True, max_length=64)
    enterprise_uscc: str = Field(max_length=18)
    application_number: str = Field(max_length=20)
    push_id: str = Field(max_length=36)
    campaign_id: str | None = Field(default=None, max_length=36)
    will_implement: str = Field(max_length=10)
    wants_cooperation: bool = Field(sa_column=Column(Boolean, nullable=False))
    market_evaluation: str = Field(max_length=10)
    prospect_score: int = Field(sa_column=Column(Integer, nullable=False))
    improvement_needs: str = Field(default="", sa_column=Column(Text, nullable=False))
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))
    recorded_at: datetime = _timestamp()


class CampaignRecord(MatchingTable, table=True):
    """A matching campaign (供需精准对接活动): an industry cluster (industry codes and
    regions, by prefix) and the tiers whose patents are pushed to it."""

    __tablename__ = "campaigns"

    campaign_id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    industry_codes: list[str] = _text_array()
    region_codes: list[str] = _text_array()
    tiers: list[str] = _text_array()
    per_enterprise_limit: int = Field(sa_column=Column(Integer, nullable=False))
    state: str = Field(max_length=10)
    enterprises: int = Field(sa_column=Column(Integer, nullable=False))
    launched_by_org_id: str = Field(max_length=64)
    launched_at: datetime = _timestamp()
    completed_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class MatchRequestRecord(MatchingTable, table=True):
    """What waits to be matched: a patent, an enterprise or a need whose facts changed.
    Asked again before it is taken, it stays one row."""

    __tablename__ = "match_requests"
    __table_args__ = (Index("ix_match_requests_requested_at", "requested_at"),)

    kind: str = Field(primary_key=True, max_length=10)
    key: str = Field(primary_key=True, max_length=64)
    requested_at: datetime = _timestamp()


# The tables one area keeps to itself live in that area (docs/architecture.md); they are
# imported here so that the service's metadata (its migrations, the schema check) holds
# every table.
from matching.matches import models as matches_models  # noqa: E402, F401
from matching.outcomes import models as outcomes_models  # noqa: E402, F401
