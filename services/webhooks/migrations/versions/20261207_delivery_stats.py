"""indexes for the delivery statistics

Revision ID: 20261207_delivery_stats
Revises: f6acf2746fc6
Create Date: 2026-12-07 09:00:00.000000

GET /v1/delivery-stats counts each endpoint's deliveries completed and attempts made
since a time (docs/webhooks.md, "Delivery statistics").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_delivery_stats"
down_revision: str | None = "f6acf2746fc6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_deliveries_endpoint_completed",
        "deliveries",
        ["endpoint_id", "completed_at"],
        unique=False,
        postgresql_include=["status"],
        postgresql_where=sa.text("completed_at IS NOT NULL"),
    )
    op.create_index(
        "ix_delivery_attempts_endpoint_attempted",
        "delivery_attempts",
        ["endpoint_id", "attempted_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_delivery_attempts_endpoint_attempted", table_name="delivery_attempts")
    op.drop_index("ix_deliveries_endpoint_completed", table_name="deliveries")
