"""royalty periods say whether their schedule was declared or inferred from text

Revision ID: 7d3b1e6a2c90
Revises: 1648fd9009bf
Create Date: 2026-11-23 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d3b1e6a2c90"
down_revision: str | None = "1648fd9009bf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every period created before this revision was read from the payment_schedule text.
    op.add_column(
        "royalty_periods",
        sa.Column(
            "schedule_source", sa.String(length=10), server_default="inferred", nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_column("royalty_periods", "schedule_source")
