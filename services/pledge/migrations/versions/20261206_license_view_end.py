"""pledge's licence view keeps a licence's end: ended_on, end_reason

Revision ID: 20261206_license_view_end
Revises: 16b6d1bc5894
Create Date: 2026-12-06 17:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261206_license_view_end"
down_revision: str | None = "16b6d1bc5894"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("license_views", sa.Column("ended_on", sa.Date(), nullable=True))
    op.add_column(
        "license_views",
        sa.Column("end_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("license_views", "end_reason")
    op.drop_column("license_views", "ended_on")
