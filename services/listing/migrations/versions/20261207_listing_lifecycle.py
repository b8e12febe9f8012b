"""supply listings and demands that change and end: version, close, end date

Revision ID: 20261207_listing_lifecycle
Revises: 20261206_patent_term_sweep
Create Date: 2026-12-07 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_listing_lifecycle"
down_revision: str | None = "20261206_patent_term_sweep"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("supply_listings", sa.Column("valid_until", sa.Date(), nullable=True))
    for table in ("supply_listings", "demands"):
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        op.add_column(table, sa.Column("closed_reason", sa.String(length=16), nullable=True))
        op.add_column(table, sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column("closed_note", sa.String(length=500), nullable=True))
    op.create_index(
        "ix_supply_listings_open_valid_until",
        "supply_listings",
        ["valid_until", "id"],
        postgresql_where=sa.text("status <> 'closed' AND valid_until IS NOT NULL"),
    )
    op.create_index(
        "ix_demands_open_deadline",
        "demands",
        ["deadline", "id"],
        postgresql_where=sa.text("status <> 'closed'"),
    )


def downgrade() -> None:
    op.drop_index("ix_demands_open_deadline", table_name="demands")
    op.drop_index("ix_supply_listings_open_valid_until", table_name="supply_listings")
    for table in ("supply_listings", "demands"):
        op.drop_column(table, "closed_note")
        op.drop_column(table, "closed_at")
        op.drop_column(table, "closed_reason")
        op.drop_column(table, "version")
    op.drop_column("supply_listings", "valid_until")
