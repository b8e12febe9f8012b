"""deals: license's catalogue view of listing's patents (the patent status view folded
into it), negotiated deals and their signatures, and the deal a licence came out of

Revision ID: 20261206_deals
Revises: 20261206_mediation_cases
Create Date: 2026-12-06 17:15:03.942756
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_deals"
down_revision: str | None = "20261206_mediation_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogued_patents",
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("patent_number", sqlmodel.sql.sqltypes.AutoString(length=22), nullable=True),
        sa.Column("patent_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("patentees", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("patentee_usccs", postgresql.ARRAY(sa.String()), nullable=False),
        sa.Column("legal_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("annual_fee_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("under_preservation", sa.Boolean(), nullable=False),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("patentees_as_of", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_as_of", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("application_number", name=op.f("pk_catalogued_patents")),
    )
    op.create_index(
        "ix_catalogued_patents_patentee_usccs",
        "catalogued_patents",
        ["patentee_usccs"],
        unique=False,
        postgresql_using="gin",
    )
    # The legal status the declarations read moves into the catalogue view: each known
    # status becomes a row holding only its status, as of when it was learned; listing's
    # registration or restatement brings the rest.
    op.execute(
        "INSERT INTO catalogued_patents (application_number, patentees, patentee_usccs, "
        "legal_status, suspended, under_preservation, as_of, status_as_of) "
        "SELECT application_number, '[]'::jsonb, '{}', legal_status, false, false, "
        "updated_at, updated_at FROM patent_status_views"
    )
    op.drop_table("patent_status_views")
    op.create_table(
        "deals",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("patent_number", sqlmodel.sql.sqltypes.AutoString(length=22), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("owners", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("patentee_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("patentee_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("patentee_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("patentee_org_type", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
        sa.Column(
            "counterparty_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False
        ),
        sa.Column("counterparty_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column(
            "counterparty_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
        ),
        sa.Column(
            "counterparty_org_type", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True
        ),
        sa.Column("opened_by", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("offers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("failure_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("license_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("recordal_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deals")),
    )
    op.create_index(
        "ix_deals_application_number_state", "deals", ["application_number", "state"], unique=False
    )
    op.create_index("ix_deals_counterparty_uscc", "deals", ["counterparty_uscc"], unique=False)
    op.create_index("ix_deals_created_at_id", "deals", ["created_at", "id"], unique=False)
    op.create_index("ix_deals_patentee_uscc", "deals", ["patentee_uscc"], unique=False)
    op.create_table(
        "deal_signatures",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("deal_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("side", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("signer_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("signer_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["deal_id"], ["deals.id"], name=op.f("fk_deal_signatures_deal_id_deals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_signatures")),
        sa.UniqueConstraint("deal_id", "side", name="uq_deal_signatures_once"),
    )
    op.add_column(
        "licenses", sa.Column("deal_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("licenses", "deal_id")
    op.drop_table("deal_signatures")
    op.drop_index("ix_deals_patentee_uscc", table_name="deals")
    op.drop_index("ix_deals_created_at_id", table_name="deals")
    op.drop_index("ix_deals_counterparty_uscc", table_name="deals")
    op.drop_index("ix_deals_application_number_state", table_name="deals")
    op.drop_table("deals")
    op.drop_index(
        "ix_catalogued_patents_patentee_usccs",
        table_name="catalogued_patents",
        postgresql_using="gin",
    )
    op.create_table(
        "patent_status_views",
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("legal_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_number", name=op.f("pk_patent_status_views")),
    )
    op.execute(
        "INSERT INTO patent_status_views (application_number, legal_status, updated_at) "
        "SELECT application_number, legal_status, status_as_of FROM catalogued_patents "
        "WHERE legal_status IS NOT NULL"
    )
    op.drop_table("catalogued_patents")
