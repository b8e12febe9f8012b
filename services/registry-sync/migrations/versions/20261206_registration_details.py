"""technology-contract registrations carry what the office needs and what it answers:
source kind, licence kind, parties, technical field, IP type, technology transaction
value, dates, filing, the office's receipt, refusal and certified values

Revision ID: 20261206_registration_details
Revises: a62d9139288f
Create Date: 2026-12-06 20:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_registration_details"
down_revision: str | None = "a62d9139288f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "tech_contract_registrations"
COLUMNS = (
    sa.Column("source_kind", sa.String(20), nullable=False, server_default="open_license"),
    sa.Column("patent_number", sa.String(24), nullable=True),
    sa.Column("license_kind", sa.String(12), nullable=True),
    sa.Column(
        "parties",
        postgresql.JSONB(astext_type=sa.Text()),
        nullable=False,
        server_default="[]",
    ),
    sa.Column("technical_field", sa.String(200), nullable=True),
    sa.Column("ip_type", sa.String(30), nullable=True),
    sa.Column("technology_value", sa.Numeric(18, 2), nullable=True),
    sa.Column("signed_on", sa.Date(), nullable=True),
    sa.Column("period_end", sa.Date(), nullable=True),
    sa.Column("filing_number", sa.String(40), nullable=True),
    sa.Column("filed_on", sa.Date(), nullable=True),
    sa.Column("office_reference", sa.String(64), nullable=True),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("submission_attempts", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.Text(), nullable=True),
    sa.Column("refusal_reason", sa.Text(), nullable=True),
    sa.Column("registered_on", sa.Date(), nullable=True),
    sa.Column("certified_contract_value", sa.Numeric(18, 2), nullable=True),
    sa.Column("certified_technology_value", sa.Numeric(18, 2), nullable=True),
    sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
)


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column(TABLE, column)


def downgrade() -> None:
    for column in reversed(COLUMNS):
        op.drop_column(TABLE, column.name)
