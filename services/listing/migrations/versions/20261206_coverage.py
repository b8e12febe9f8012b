"""coverage and funding: institutions' holdings (backfilled), implementations, the
indexes of the state-funded flag on patents

Revision ID: 20261206_coverage
Revises: 20261206_inventory_tiers
Create Date: 2026-12-06 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_coverage"
down_revision: str | None = "20261206_inventory_tiers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The holdings of the patents catalogued before this revision (domain/holding.py, in SQL):
# one row per university or research institute among the patentees, counted on the
# first of them; province xx0000 and city xxxx00 from the region code.
BACKFILL = r"""
WITH patentees AS (
    SELECT p.application_number, e.value ->> 'uscc' AS uscc, e.value ->> 'name' AS name,
           e.value ->> 'party_type' AS party_type, e.ordinality AS position,
           p.region_code, p.legal_status
    FROM patents p CROSS JOIN LATERAL jsonb_array_elements(p.patentees) WITH ORDINALITY e
    WHERE e.value ->> 'party_type' IN ('university', 'research_institute')
      AND coalesce(e.value ->> 'uscc', '') <> ''
), firsts AS (
    SELECT DISTINCT ON (application_number, uscc) *
    FROM patentees ORDER BY application_number, uscc, position
)
INSERT INTO institution_holdings
    (uscc, application_number, name, party_type, province, city, valid, counted)
SELECT uscc, application_number, name, party_type,
       CASE WHEN region_code ~ '^\d{6}$' THEN substr(region_code, 1, 2) || '0000' END,
       CASE WHEN region_code ~ '^\d{6}$' AND substr(region_code, 3, 2) <> '00'
            THEN substr(region_code, 1, 4) || '00' END,
       legal_status = 'valid',
       position = min(position) OVER (PARTITION BY application_number)
FROM firsts
"""


def upgrade() -> None:
    op.create_index(
        "ix_patents_unexploited_flagged",
        "patents",
        ["unexploited_flagged_on", "application_number"],
        postgresql_where=sa.text("unexploited_flagged_on IS NOT NULL"),
    )
    # The sweep's candidates: state-funded patents not flagged, by grant date.
    op.create_index(
        "ix_patents_state_funded_unflagged",
        "patents",
        ["grant_date", "application_number"],
        postgresql_where=sa.text("state_funded AND unexploited_flagged_on IS NULL"),
    )
    op.create_table(
        "institution_holdings",
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("application_number", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("party_type", sa.String(length=20), nullable=False),
        sa.Column("province", sa.String(length=6), nullable=True),
        sa.Column("city", sa.String(length=6), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_number"],
            ["patents.application_number"],
            name="fk_institution_holdings_patent",
        ),
        sa.PrimaryKeyConstraint("uscc", "application_number", name="pk_institution_holdings"),
    )
    op.create_index(
        "ix_institution_holdings_patent", "institution_holdings", ["application_number"]
    )
    op.create_index("ix_institution_holdings_region", "institution_holdings", ["province", "city"])
    op.execute(BACKFILL)
    op.create_table(
        "implementations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("application_number", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "evidence_document_ids",
            postgresql.JSONB(),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("recorded_by_org_id", sa.String(length=64), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_implementations"),
    )
    op.create_index(
        "ix_implementations_application_number", "implementations", ["application_number"]
    )
    op.create_index(
        "uq_implementations_reference",
        "implementations",
        ["application_number", "kind", "reference"],
        unique=True,
        postgresql_where=sa.text("reference IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_table("implementations")
    op.drop_table("institution_holdings")
    op.drop_index("ix_patents_state_funded_unflagged", table_name="patents")
    op.drop_index("ix_patents_unexploited_flagged", table_name="patents")
