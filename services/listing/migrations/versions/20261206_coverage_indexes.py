"""coverage: indexes that let the figures be read from indexes alone: each holding's
inventory facts (evaluated, tier) beside its patent number, and an institution's valid
holdings in patent-number order

Revision ID: 20261206_coverage_indexes
Revises: 20261206_inventory_uploads
Create Date: 2026-12-06 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_coverage_indexes"
down_revision: str | None = "20261206_inventory_uploads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_inventory_records_coverage",
        "inventory_records",
        ["application_number"],
        postgresql_include=["evaluated", "tier"],
    )
    op.create_index(
        "ix_institution_holdings_valid",
        "institution_holdings",
        ["uscc", "application_number"],
        postgresql_where=sa.text("valid"),
    )


def downgrade() -> None:
    op.drop_index("ix_institution_holdings_valid", table_name="institution_holdings")
    op.drop_index("ix_inventory_records_coverage", table_name="inventory_records")
