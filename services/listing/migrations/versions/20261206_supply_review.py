"""supply review: a restricted party's supply listings wait for the operator's review

Revision ID: 20261206_supply_review
Revises: 20261206_party_restrictions
Create Date: 2026-12-06 17:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261206_supply_review"
down_revision: str | None = "20261206_party_restrictions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "supply_listings",
        sa.Column("source_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
    )
    op.add_column(
        "supply_listings",
        sa.Column("review_record_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    )
    op.add_column(
        "supply_listings",
        sa.Column("rejection_reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    )
    op.create_index(
        "ix_supply_listings_pending_review",
        "supply_listings",
        ["created_at", "id"],
        unique=False,
        postgresql_where=sa.text("status = 'pending_review'"),
    )


def downgrade() -> None:
    op.drop_index("ix_supply_listings_pending_review", table_name="supply_listings")
    op.drop_column("supply_listings", "rejection_reason")
    op.drop_column("supply_listings", "review_record_id")
    op.drop_column("supply_listings", "source_uscc")
