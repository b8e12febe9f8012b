"""industry_rederive: the operator's re-derivations of patents' industry codes

Revision ID: 20261206_industry_rederive
Revises: 20261206_coverage_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261206_industry_rederive"
down_revision = "20261206_coverage_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "industry_rederive_jobs",
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("concordance_version", sa.String(length=200), nullable=False),
        sa.Column("requested_by_org_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("after", sa.String(length=20), nullable=True),
        sa.Column("examined", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("job_id", name="pk_industry_rederive_jobs"),
    )


def downgrade() -> None:
    op.drop_table("industry_rederive_jobs")
