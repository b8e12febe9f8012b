"""endpoints remember their last attempt

Revision ID: 1a86025b2d83
Revises: a5150fa5a2ab
Create Date: 2026-12-06 10:00:00.000000

What a stalled endpoint is measured against (docs/webhooks.md); filled from the attempt
log for endpoints that already had attempts.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1a86025b2d83"
down_revision: str | None = "a5150fa5a2ab"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "endpoints", sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute(
        """
        UPDATE endpoints e SET last_attempt_at = a.last
          FROM (SELECT endpoint_id, max(attempted_at) AS last
                  FROM delivery_attempts GROUP BY endpoint_id) a
         WHERE a.endpoint_id = e.id
        """
    )


def downgrade() -> None:
    op.drop_column("endpoints", "last_attempt_at")
