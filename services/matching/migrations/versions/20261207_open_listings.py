"""patents: the supply listings of each that are open, so a close can end "listed"

Revision ID: 20261207_open_listings
Revises: 20261206_seeker_changes
Create Date: 2026-12-07 02:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261207_open_listings"
down_revision: str | None = "20261206_seeker_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Patents listed before this column existed keep `listed` (their listings are not
    # known by id): only a close of a listing seen here can end it.
    op.add_column(
        "patents",
        sa.Column(
            "listing_ids", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
    )


def downgrade() -> None:
    op.drop_column("patents", "listing_ids")
