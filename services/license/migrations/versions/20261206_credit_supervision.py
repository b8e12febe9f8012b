"""credit supervision: evidence documents, credit records and their objections

Revision ID: 20261206_credit_supervision
Revises: 20261206_deals
Create Date: 2026-12-06 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_credit_supervision"
down_revision: str | None = "20261206_deals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _str(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", _str(36), nullable=False),
        sa.Column("kind", _str(32), nullable=False),
        sa.Column("filename", _str(255), nullable=True),
        sa.Column("content_type", _str(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", _str(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_org_id", _str(64), nullable=False),
        sa.Column("uploaded_by_uscc", _str(18), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index(
        "ix_documents_uploaded_by", "documents", ["uploaded_by_org_id", "created_at"], unique=False
    )
    op.create_table(
        "credit_records",
        sa.Column("id", _str(36), nullable=False),
        sa.Column("party_uscc", _str(18), nullable=False),
        sa.Column("party_name", _str(255), nullable=False),
        sa.Column("kind", _str(40), nullable=False),
        sa.Column("state", _str(20), nullable=False),
        sa.Column("facts", _str(4000), nullable=True),
        sa.Column("evidence", postgresql.ARRAY(sa.String()), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_until", sa.Date(), nullable=True),
        sa.Column("license_id", _str(36), nullable=True),
        sa.Column("breach_id", _str(36), nullable=True),
        sa.Column("recorded_by_org_id", _str(64), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("history", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_records")),
    )
    op.create_index(
        "ix_credit_records_party_created",
        "credit_records",
        ["party_uscc", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_credit_records_state_created", "credit_records", ["state", "created_at"], unique=False
    )
    op.create_index(
        "ix_credit_records_evidence",
        "credit_records",
        ["evidence"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "uq_credit_records_breach",
        "credit_records",
        ["breach_id"],
        unique=True,
        postgresql_where=sa.text("breach_id IS NOT NULL"),
    )
    op.create_index(
        "ix_credit_records_period_watch",
        "credit_records",
        ["period_until"],
        unique=False,
        postgresql_where=sa.text("state = 'in_force'"),
    )
    op.create_table(
        "credit_objections",
        sa.Column("id", _str(36), nullable=False),
        sa.Column("record_id", _str(36), nullable=False),
        sa.Column("grounds", _str(4000), nullable=False),
        sa.Column("evidence", postgresql.ARRAY(sa.String()), nullable=False),
        sa.Column("filed_by_org_id", _str(64), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decide_by", sa.Date(), nullable=False),
        sa.Column("upheld", sa.Boolean(), nullable=True),
        sa.Column("reason", _str(2000), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_org_id", _str(64), nullable=True),
        sa.Column("overdue_alerted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["credit_records.id"],
            name=op.f("fk_credit_objections_record_id_credit_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_objections")),
    )
    op.create_index(
        "ix_credit_objections_record", "credit_objections", ["record_id", "filed_at"], unique=False
    )
    op.create_index(
        "ix_credit_objections_evidence",
        "credit_objections",
        ["evidence"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "uq_credit_objections_pending",
        "credit_objections",
        ["record_id"],
        unique=True,
        postgresql_where=sa.text("upheld IS NULL"),
    )
    op.create_index(
        "ix_credit_objections_watch",
        "credit_objections",
        ["decide_by"],
        unique=False,
        postgresql_where=sa.text("upheld IS NULL AND NOT overdue_alerted"),
    )


def downgrade() -> None:
    op.drop_table("credit_objections")
    op.drop_table("credit_records")
    op.drop_table("documents")
