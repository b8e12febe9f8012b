"""idempotency_keys say whether the stored answer is sealed (encrypted)

Revision ID: 16b6d1bc5894
Revises: d872a99017aa
Create Date: 2026-12-06 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "16b6d1bc5894"
down_revision: str | None = "d872a99017aa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every answer stored before this revision was stored as sent.
    op.add_column(
        "idempotency_keys",
        sa.Column("response_sealed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("idempotency_keys", "response_sealed")
