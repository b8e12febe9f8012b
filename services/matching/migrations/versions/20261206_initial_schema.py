"""initial_schema

Revision ID: 20261206_initial_schema
Revises:
Create Date: 2026-12-06 14:41:14.432513
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import create_outbox_relay_state, drop_outbox_relay_state

revision: str = "20261206_initial_schema"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("campaign_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "industry_codes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column(
            "region_codes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column("tiers", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False),
        sa.Column("per_enterprise_limit", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("enterprises", sa.Integer(), nullable=False),
        sa.Column(
            "launched_by_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("launched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("campaign_id", name=op.f("pk_campaigns")),
    )
    op.create_table(
        "enterprise_profiles",
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("region_code", sa.CHAR(length=6), nullable=False),
        sa.Column(
            "industry_codes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column(
            "strategic_codes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column("size", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column(
            "qualifications", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column("products", sa.Text(), nullable=False),
        sa.Column("technical_needs", sa.Text(), nullable=False),
        sa.Column("tokens", postgresql.ARRAY(sa.String()), nullable=True),
        sa.Column("push_consent", sa.Boolean(), nullable=False),
        sa.Column(
            "industries_opted_in",
            postgresql.ARRAY(sa.String()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "industries_opted_out",
            postgresql.ARRAY(sa.String()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uscc", name=op.f("pk_enterprise_profiles")),
    )
    op.create_index(
        "ix_enterprise_profiles_industry_codes",
        "enterprise_profiles",
        ["industry_codes"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index("ix_enterprise_profiles_org", "enterprise_profiles", ["org_id"], unique=False)
    op.create_table(
        "feedback",
        sa.Column("feedback_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("enterprise_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("push_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("campaign_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("will_implement", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("wants_cooperation", sa.Boolean(), nullable=False),
        sa.Column("market_evaluation", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("prospect_score", sa.Integer(), nullable=False),
        sa.Column("improvement_needs", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("feedback_id", name=op.f("pk_feedback")),
    )
    op.create_index("ix_feedback_patent", "feedback", ["application_number"], unique=False)
    op.create_index(
        "uq_feedback_enterprise_patent",
        "feedback",
        ["enterprise_uscc", "application_number"],
        unique=True,
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("principal", sa.String(length=255), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.LargeBinary(), nullable=True),
        sa.Column("response_content_type", sa.String(length=255), nullable=True),
        sa.Column("response_sealed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("principal", "idempotency_key", name="pk_idempotency_keys"),
    )
    op.create_index(
        "ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"], unique=False
    )
    op.create_table(
        "inbox",
        sa.Column("consumer_group", sa.String(length=255), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=255), nullable=False),
        sa.Column(
            "handled_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("consumer_group", "event_id", name="pk_inbox"),
    )
    op.create_index("ix_inbox_handled_at", "inbox", ["handled_at"], unique=False)
    op.create_table(
        "match_requests",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_match_requests")),
    )
    op.create_index(
        "ix_match_requests_requested_at", "match_requests", ["requested_at"], unique=False
    )
    op.create_table(
        "matches",
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("enterprise_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("factors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "matched_terms", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column("industry_links", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("weights_version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("patent_revision", sa.Integer(), nullable=False),
        sa.Column("via_need_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_number", "enterprise_uscc", name=op.f("pk_matches")),
    )
    op.create_index("ix_matches_enterprise", "matches", ["enterprise_uscc", "score"], unique=False)
    op.create_table(
        "needs",
        sa.Column("need_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("requester_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("requester_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("requester_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("technical_field", sa.Text(), nullable=True),
        sa.Column("tokens", postgresql.ARRAY(sa.String()), nullable=True),
        sa.Column("ipc_codes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False),
        sa.Column(
            "industry_codes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column("region_code", sa.CHAR(length=6), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("need_id", name=op.f("pk_needs")),
    )
    op.create_index("ix_needs_requester", "needs", ["requester_uscc"], unique=False)
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("event_id", sa.UUID(as_uuid=False), nullable=False),
        sa.Column("topic", sa.String(length=255), nullable=False),
        sa.Column("partition_key", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=True),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("traceparent", sa.String(length=55), nullable=True),
        sa.Column(
            "actor",
            sa.String(length=255),
            nullable=True,
            comment="Acting organisation: the audit trail.",
        ),
        sa.Column("origin_platform", sa.String(length=255), nullable=True),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", "topic", name="uq_outbox_event_id_topic"),
    )
    op.create_index("ix_outbox_published_at", "outbox", ["published_at"], unique=False)
    op.create_index("ix_outbox_subject", "outbox", ["subject"], unique=False)
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        unique=False,
        postgresql_where=sa.text("published_at IS NULL"),
    )
    create_outbox_relay_state()
    op.create_table(
        "patents",
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=True),
        sa.Column("tokens", postgresql.ARRAY(sa.String()), nullable=True),
        sa.Column("ipc_codes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False),
        sa.Column(
            "industry_codes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column(
            "industry_divisions", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column("region_code", sa.CHAR(length=6), nullable=True),
        sa.Column("institution_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("institution_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("patentees", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("tier", sa.CHAR(length=1), nullable=True),
        sa.Column("willingness", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column(
            "intended_modes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column("declared", sa.Boolean(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=False),
        sa.Column("inventoried", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_number", name=op.f("pk_patents")),
    )
    op.create_index(
        "ix_patents_industry_divisions",
        "patents",
        ["industry_divisions"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index("ix_patents_institution", "patents", ["institution_uscc"], unique=False)
    op.create_table(
        "pushes",
        sa.Column("push_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("enterprise_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("patent_revision", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("weights_version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("campaign_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("push_id", name=op.f("pk_pushes")),
    )
    op.create_index("ix_pushes_campaign", "pushes", ["campaign_id"], unique=False)
    op.create_index(
        "ix_pushes_enterprise_pushed_at", "pushes", ["enterprise_uscc", "pushed_at"], unique=False
    )
    op.create_index("ix_pushes_patent", "pushes", ["application_number"], unique=False)
    op.create_index(
        "uq_pushes_enterprise_patent_revision",
        "pushes",
        ["enterprise_uscc", "application_number", "patent_revision"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_pushes_enterprise_patent_revision", table_name="pushes")
    op.drop_index("ix_pushes_patent", table_name="pushes")
    op.drop_index("ix_pushes_enterprise_pushed_at", table_name="pushes")
    op.drop_index("ix_pushes_campaign", table_name="pushes")
    op.drop_table("pushes")
    op.drop_index("ix_patents_institution", table_name="patents")
    op.drop_index("ix_patents_industry_divisions", table_name="patents", postgresql_using="gin")
    op.drop_table("patents")
    drop_outbox_relay_state()
    op.drop_index(
        "ix_outbox_unpublished",
        table_name="outbox",
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.drop_index("ix_outbox_subject", table_name="outbox")
    op.drop_index("ix_outbox_published_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_needs_requester", table_name="needs")
    op.drop_table("needs")
    op.drop_index("ix_matches_enterprise", table_name="matches")
    op.drop_table("matches")
    op.drop_index("ix_match_requests_requested_at", table_name="match_requests")
    op.drop_table("match_requests")
    op.drop_index("ix_inbox_handled_at", table_name="inbox")
    op.drop_table("inbox")
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_index("uq_feedback_enterprise_patent", table_name="feedback")
    op.drop_index("ix_feedback_patent", table_name="feedback")
    op.drop_table("feedback")
    op.drop_index("ix_enterprise_profiles_org", table_name="enterprise_profiles")
    op.drop_index(
        "ix_enterprise_profiles_industry_codes",
        table_name="enterprise_profiles",
        postgresql_using="gin",
    )
    op.drop_table("enterprise_profiles")
    op.drop_table("campaigns")
