"""recordals with the patent office (licence filings and transfer registrations) and the
position in its legal-status feed

Revision ID: 20261206_patent_office
Revises: 20261206_registration_details
Create Date: 2026-12-06 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_patent_office"
down_revision: str | None = "20261206_registration_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "patent_office_recordals",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("source_reference", sa.String(64), nullable=False, unique=True),
        sa.Column("application_number", sa.String(20), nullable=False),
        sa.Column("request", postgresql.JSONB(), nullable=False),
        sa.Column("parties_uscc", postgresql.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("office_reference", sa.String(64), nullable=True),
        sa.Column("submitted_at", TS, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("leased_until", TS, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("reasons", postgresql.JSONB(), nullable=False, server_default="[]"),
        sa.Column("number", sa.String(64), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("announced_on", sa.Date(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index(
        "ix_patent_office_recordals_patent", "patent_office_recordals", ["application_number"]
    )
    op.create_index(
        "ix_patent_office_recordals_due",
        "patent_office_recordals",
        ["next_attempt_at"],
        postgresql_where=sa.text("status IN ('pending', 'submitted')"),
    )
    op.create_index(
        "ix_patent_office_recordals_parties",
        "patent_office_recordals",
        ["parties_uscc"],
        postgresql_using="gin",
    )
    op.create_table(
        "legal_status_feed_position",
        sa.Column("feed", sa.String(40), primary_key=True),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("legal_status_feed_position")
    op.drop_table("patent_office_recordals")
