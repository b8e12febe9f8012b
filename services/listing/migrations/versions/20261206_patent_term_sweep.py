"""the patent term sweep's index: patents in force by the last day of their term

Revision ID: 20261206_patent_term_sweep
Revises: 20261206_fee_reduction
Create Date: 2026-12-06 18:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_patent_term_sweep"
down_revision: str | None = "20261206_fee_reduction"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_patents_valid_expiry",
        "patents",
        ["expiry_date", "application_number"],
        postgresql_where=sa.text("legal_status = 'valid'"),
    )


def downgrade() -> None:
    op.drop_index("ix_patents_valid_expiry", table_name="patents")
