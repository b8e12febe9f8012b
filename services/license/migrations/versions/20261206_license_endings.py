"""licences end: ended_on, end_reason, end_note and termination consents on licences,
the expiry watch's index, cancelled royalty periods

Revision ID: 20261206_license_endings
Revises: fcfd8cd26ebb
Create Date: 2026-12-06 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_license_endings"
down_revision: str | None = "fcfd8cd26ebb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("licenses", sa.Column("ended_on", sa.Date(), nullable=True))
    op.add_column("licenses", sa.Column("end_reason", sa.String(length=200), nullable=True))
    op.add_column("licenses", sa.Column("end_note", sa.String(length=1000), nullable=True))
    op.add_column(
        "licenses",
        sa.Column(
            "termination_consents",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.create_index(
        "ix_licenses_expiry_watch",
        "licenses",
        ["term_end"],
        postgresql_where=sa.text("status IN ('active', 'filed')"),
    )
    op.add_column("royalty_periods", sa.Column("cancelled_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("royalty_periods", "cancelled_on")
    op.drop_index(
        "ix_licenses_expiry_watch",
        table_name="licenses",
        postgresql_where=sa.text("status IN ('active', 'filed')"),
    )
    op.drop_column("licenses", "termination_consents")
    op.drop_column("licenses", "end_note")
    op.drop_column("licenses", "end_reason")
    op.drop_column("licenses", "ended_on")
