"""pledge keeps a view of transfers agreed and not yet recorded: transfer_views

Revision ID: 20261207_transfer_views
Revises: 20261206_license_view_end
Create Date: 2026-12-07 00:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261207_transfer_views"
down_revision: str | None = "20261206_license_view_end"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "transfer_views",
        sa.Column("deal_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("transferees", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("deal_id"),
    )
    op.create_index("ix_transfer_views_patent", "transfer_views", ["application_number"])


def downgrade() -> None:
    op.drop_index("ix_transfer_views_patent", table_name="transfer_views")
    op.drop_table("transfer_views")
