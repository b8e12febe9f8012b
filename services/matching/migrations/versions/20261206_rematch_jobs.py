"""rematch_jobs

Revision ID: 20261206_rematch_jobs
Revises: 20261206_profile_uploads
Create Date: 2026-12-06 14:58:32.501246
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_rematch_jobs"
down_revision: str | None = "20261206_profile_uploads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rematch_jobs",
        sa.Column("job_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column(
            "requested_by_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("patents_total", sa.Integer(), nullable=False),
        sa.Column("patents_done", sa.Integer(), nullable=False),
        sa.Column("matches_written", sa.Integer(), nullable=False),
        sa.Column("resume_codes", postgresql.ARRAY(sa.String()), nullable=True),
        sa.Column("resume_after", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("weights_version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_rematch_jobs")),
    )
    # The full re-match's order: patents sharing industry codes share candidates.
    op.create_index("ix_patents_rematch_order", "patents", ["industry_codes", "application_number"])


def downgrade() -> None:
    op.drop_index("ix_patents_rematch_order", table_name="patents")
    op.drop_table("rematch_jobs")
