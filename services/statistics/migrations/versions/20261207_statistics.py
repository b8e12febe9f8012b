"""statistics: the facts counted and the patents' attributes (the read model)

Revision ID: 20261207_statistics
Revises:
Create Date: 2026-12-07 04:49:08.793745
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.db.migrations import create_outbox_relay_state, drop_outbox_relay_state

revision: str = "20261207_statistics"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "facts",
        sa.Column("measure", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("fact_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("party_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("tech_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.PrimaryKeyConstraint("measure", "fact_key", name=op.f("pk_facts")),
        sa.UniqueConstraint("event_id", name="uq_facts_event_id"),
    )
    op.create_index(
        "ix_facts_measure_effective_on",
        "facts",
        ["measure", "effective_on"],
        unique=False,
        postgresql_include=[
            "application_number",
            "detail",
            "party_org_id",
            "amount",
            "tech_amount",
        ],
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
        "patent_attributes",
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("region_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("province_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("city_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=True),
        sa.Column("place_as_of", sa.DateTime(timezone=True), nullable=True),
        sa.Column("industry_section", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.Column("industry_division", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column("industry_as_of", sa.DateTime(timezone=True), nullable=True),
        sa.Column("party_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column(
            "owner_org_ids", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column(
            "owner_usccs", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column("owners_as_of", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tier", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
        sa.Column("tier_as_of", sa.DateTime(timezone=True), nullable=True),
        sa.Column("inventoried_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("application_number", name=op.f("pk_patent_attributes")),
    )
    op.create_index(
        "ix_patent_attributes_owner_org_ids",
        "patent_attributes",
        ["owner_org_ids"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "ix_patent_attributes_owner_usccs",
        "patent_attributes",
        ["owner_usccs"],
        unique=False,
        postgresql_using="gin",
    )


def downgrade() -> None:
    op.drop_index(
        "ix_patent_attributes_owner_usccs", table_name="patent_attributes", postgresql_using="gin"
    )
    op.drop_index(
        "ix_patent_attributes_owner_org_ids", table_name="patent_attributes", postgresql_using="gin"
    )
    op.drop_table("patent_attributes")
    drop_outbox_relay_state()
    op.drop_index(
        "ix_outbox_unpublished",
        table_name="outbox",
        postgresql_where=sa.text("published_at IS NULL"),
    )
    op.drop_index("ix_outbox_subject", table_name="outbox")
    op.drop_index("ix_outbox_published_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_inbox_handled_at", table_name="inbox")
    op.drop_table("inbox")
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_index(
        "ix_facts_measure_effective_on",
        table_name="facts",
        postgresql_include=[
            "application_number",
            "detail",
            "party_org_id",
            "amount",
            "tech_amount",
        ],
    )
    op.drop_table("facts")
