"""encumbrances keep their history: released_at, when a pledge was cancelled or a
licence ended

Revision ID: 20261206_encumbrance_released_at
Revises: 20261206_industry_rederive
Create Date: 2026-12-06 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_encumbrance_released_at"
down_revision: str | None = "20261206_industry_rederive"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "encumbrances", sa.Column("released_at", sa.DateTime(timezone=True), nullable=True)
    )
    # Released before this column: the last update is when it was released.
    op.execute("UPDATE encumbrances SET released_at = updated_at WHERE NOT active")


def downgrade() -> None:
    op.drop_column("encumbrances", "released_at")
