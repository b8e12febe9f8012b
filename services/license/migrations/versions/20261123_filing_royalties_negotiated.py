"""filing, royalty periods, breaches, pledgee consents, negotiated licences, patent status

Revision ID: 5c2e9a41b7d3
Revises: 1447780d878a
Create Date: 2026-11-23 09:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5c2e9a41b7d3"
down_revision: str | None = "1447780d878a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patent_status_views",
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("legal_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_number", name=op.f("pk_patent_status_views")),
    )
    op.alter_column("licenses", "licensee_org_id", existing_type=sa.String(64), nullable=True)
    op.add_column(
        "licenses",
        sa.Column("filing_number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.add_column("licenses", sa.Column("filed_on", sa.Date(), nullable=True))
    op.add_column(
        "licenses",
        sa.Column("filing_alert", sa.String(length=10), server_default="none", nullable=False),
    )
    op.create_index(
        "ix_licenses_filing_watch",
        "licenses",
        ["filing_deadline"],
        unique=False,
        postgresql_where=sa.text("status = 'active' AND filing_alert <> 'overdue'"),
    )
    op.create_table(
        "pledge_consents",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("pledge_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("consent_to", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("counterparty_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("pledgee_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_consents")),
    )
    op.create_index(
        "ix_pledge_consents_patent",
        "pledge_consents",
        ["application_number", "pledge_id"],
        unique=False,
    )
    op.create_table(
        "royalty_periods",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("license_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("royalty_base", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("royalty_rate", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("base_amount", sa.Numeric(precision=17, scale=2), nullable=True),
        sa.Column("amount_due", sa.Numeric(precision=17, scale=2), nullable=True),
        sa.Column(
            "amount_paid", sa.Numeric(precision=17, scale=2), server_default="0", nullable=False
        ),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_by_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("report_breach_recorded", sa.Boolean(), nullable=False),
        sa.Column("payment_breach_recorded", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["license_id"], ["licenses.id"], name=op.f("fk_royalty_periods_license_id_licenses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_royalty_periods")),
        sa.UniqueConstraint("license_id", "period_start", name="uq_royalty_periods_license_start"),
    )
    op.create_index(
        "ix_royalty_periods_watch",
        "royalty_periods",
        ["due_date"],
        unique=False,
        postgresql_where=sa.text("NOT (report_breach_recorded AND payment_breach_recorded)"),
    )
    op.add_column(
        "license_payments",
        sa.Column(
            "recorded_by_role", sa.String(length=10), server_default="licensee", nullable=False
        ),
    )
    op.add_column(
        "license_payments",
        sa.Column("royalty_period_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    )
    op.create_foreign_key(
        op.f("fk_license_payments_royalty_period_id_royalty_periods"),
        "license_payments",
        "royalty_periods",
        ["royalty_period_id"],
        ["id"],
    )
    op.create_table(
        "license_breaches",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("license_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column(
            "application_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("party_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("party_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("party_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("period_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount_outstanding", sa.Numeric(precision=17, scale=2), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["license_id"], ["licenses.id"], name=op.f("fk_license_breaches_license_id_licenses")
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["royalty_periods.id"],
            name=op.f("fk_license_breaches_period_id_royalty_periods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_license_breaches")),
        sa.UniqueConstraint("license_id", "period_id", "kind", name="uq_license_breaches_once"),
    )
    op.create_index(
        "ix_license_breaches_recorded_at_id",
        "license_breaches",
        ["recorded_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_license_breaches_party_uscc", "license_breaches", ["party_uscc"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_license_breaches_party_uscc", table_name="license_breaches")
    op.drop_index("ix_license_breaches_recorded_at_id", table_name="license_breaches")
    op.drop_table("license_breaches")
    op.drop_constraint(
        op.f("fk_license_payments_royalty_period_id_royalty_periods"),
        "license_payments",
        type_="foreignkey",
    )
    op.drop_column("license_payments", "royalty_period_id")
    op.drop_column("license_payments", "recorded_by_role")
    op.drop_index(
        "ix_royalty_periods_watch",
        table_name="royalty_periods",
        postgresql_where=sa.text("NOT (report_breach_recorded AND payment_breach_recorded)"),
    )
    op.drop_table("royalty_periods")
    op.drop_index("ix_pledge_consents_patent", table_name="pledge_consents")
    op.drop_table("pledge_consents")
    op.drop_index(
        "ix_licenses_filing_watch",
        table_name="licenses",
        postgresql_where=sa.text("status = 'active' AND filing_alert <> 'overdue'"),
    )
    op.drop_column("licenses", "filing_alert")
    op.drop_column("licenses", "filed_on")
    op.drop_column("licenses", "filing_number")
    op.alter_column("licenses", "licensee_org_id", existing_type=sa.String(64), nullable=False)
    op.drop_table("patent_status_views")
