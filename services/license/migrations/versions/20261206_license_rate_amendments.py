"""a licence keeps the royalty rates mediation settlements agreed

Revision ID: 20261206_license_rate_amendments
Revises: 20261206_credit_decision_pending
Create Date: 2026-12-06 18:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_license_rate_amendments"
down_revision: str | None = "20261206_credit_decision_pending"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "licenses",
        sa.Column(
            "rate_amendments",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("licenses", "rate_amendments")
