"""patent restatements: the operator's jobs restating the catalogue to the platform's
services

Revision ID: 20261206_patent_restatements
Revises: 20261206_encumbrance_released_at
Create Date: 2026-12-06 17:23:06.415796
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261206_patent_restatements"
down_revision: str | None = "20261206_encumbrance_released_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patent_restatement_jobs",
        sa.Column("job_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column(
            "requested_by_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("after", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("restated", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_patent_restatement_jobs")),
    )


def downgrade() -> None:
    op.drop_table("patent_restatement_jobs")
