"""outcome_facts: licences, transfers, pledges, royalties and implementations of patents,
and the institution each inventoried patent is credited to, for the outcome figures

Revision ID: 20261206_outcome_facts
Revises: 20261206_initial_schema
Create Date: 2026-12-06 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_outcome_facts"
down_revision: str | None = "20261206_initial_schema"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outcome_facts",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("fact_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column(
            "counterparty_usccs",
            postgresql.ARRAY(sa.String()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column(
            "party_usccs", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False
        ),
        sa.Column("amount_cny", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("license_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "kind", "fact_id", "application_number", name=op.f("pk_outcome_facts")
        ),
    )
    op.create_index(
        "ix_outcome_facts_patent_kind",
        "outcome_facts",
        ["application_number", "kind"],
        unique=False,
    )
    op.create_index(
        "ix_outcome_facts_royalty_license",
        "outcome_facts",
        ["license_id"],
        unique=False,
        postgresql_where=sa.text("kind = 'royalty'"),
    )
    op.create_table(
        "inventorying_institutions",
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("institution_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("institution_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_number", name=op.f("pk_inventorying_institutions")),
    )
    op.create_index(
        "ix_inventorying_institutions_uscc",
        "inventorying_institutions",
        ["institution_uscc"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_inventorying_institutions_uscc", table_name="inventorying_institutions")
    op.drop_table("inventorying_institutions")
    op.drop_index(
        "ix_outcome_facts_royalty_license",
        table_name="outcome_facts",
        postgresql_where=sa.text("kind = 'royalty'"),
    )
    op.drop_index("ix_outcome_facts_patent_kind", table_name="outcome_facts")
    op.drop_table("outcome_facts")
