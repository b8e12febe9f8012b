"""the filings view (licences filed, transfers recorded) and the daily reconciliation's
runs and mismatch rows

Revision ID: 20261206_reconciliation
Revises: 20261206_patent_office
Create Date: 2026-12-06 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_reconciliation"
down_revision: str | None = "20261206_patent_office"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "filings",
        sa.Column("source_reference", sa.String(64), primary_key=True),
        sa.Column("filing_type", sa.String(10), nullable=False),
        sa.Column("application_number", sa.String(20), nullable=False),
        sa.Column("patent_number", sa.String(24), nullable=True),
        sa.Column("license_kind", sa.String(12), nullable=True),
        sa.Column("seller_uscc", sa.String(18), nullable=True),
        sa.Column("buyer_uscc", sa.String(18), nullable=True),
        sa.Column("sellers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("buyers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("contract_value", sa.Numeric(18, 2), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("filing_number", sa.String(40), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_filings_reconciliation",
        "filings",
        ["application_number", "filing_type", "seller_uscc", "buyer_uscc"],
    )
    op.create_table(
        "reconciliation_runs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("run_on", sa.Date(), nullable=False),
        sa.Column("trigger", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counts", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.create_index(
        "uq_reconciliation_runs_scheduled_day",
        "reconciliation_runs",
        ["run_on"],
        unique=True,
        postgresql_where=sa.text("trigger = 'scheduled'"),
    )
    op.create_index(
        "ix_reconciliation_runs_pending",
        "reconciliation_runs",
        ["requested_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "reconciliation_mismatches",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("reason", sa.String(24), nullable=False),
        sa.Column("application_number", sa.String(20), nullable=False),
        sa.Column("filing_type", sa.String(10), nullable=False),
        sa.Column("filing_reference", sa.String(64), nullable=True),
        sa.Column("filing_number", sa.String(40), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("filing_seller_uscc", sa.String(18), nullable=True),
        sa.Column("filing_buyer_uscc", sa.String(18), nullable=True),
        sa.Column("filing_license_kind", sa.String(12), nullable=True),
        sa.Column("filing_value", sa.Numeric(18, 2), nullable=True),
        sa.Column("registration_id", sa.String(36), nullable=True),
        sa.Column("registration_number", sa.String(40), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("registration_seller_uscc", sa.String(18), nullable=True),
        sa.Column("registration_buyer_uscc", sa.String(18), nullable=True),
        sa.Column("registration_license_kind", sa.String(12), nullable=True),
        sa.Column("registration_value", sa.Numeric(18, 2), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "id", name="pk_reconciliation_mismatches"),
    )


def downgrade() -> None:
    op.drop_table("reconciliation_mismatches")
    op.drop_table("reconciliation_runs")
    op.drop_table("filings")
