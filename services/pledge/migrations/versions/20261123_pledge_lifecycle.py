"""pledge lifecycle: bank actions, consents, bank policies and topics, risk programmes

Revision ID: 7c41b9e2d5a0
Revises: 2f8d0c226e91
Create Date: 2026-11-23 09:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7c41b9e2d5a0"
down_revision: str | None = "2f8d0c226e91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONEY = sa.Numeric(precision=18, scale=2)
_PERCENT = sa.Numeric(precision=7, scale=4)


def _created_at() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.add_column("pledges", sa.Column("approved_on", sa.Date(), nullable=True))
    for name in ("refusal_reason", "correction_reason"):
        op.add_column(
            "pledges",
            sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        )
    op.add_column(
        "pledges",
        sa.Column("change_count", sa.Integer(), server_default="0", nullable=False),
    )
    for name in ("disbursed_amount", "outstanding_amount", "disposal_valuation"):
        op.add_column("pledges", sa.Column(name, _MONEY, nullable=True))
    op.add_column("pledges", sa.Column("realisation_proceeds", _MONEY, nullable=True))
    for name in ("disbursed_on", "overdue_since", "defaulted_on", "realised_on"):
        op.add_column("pledges", sa.Column(name, sa.Date(), nullable=True))
    op.add_column(
        "pledges",
        sa.Column("disposal_method", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    )
    op.add_column("pledges", sa.Column("buyer", postgresql.JSONB(), nullable=True))

    op.create_table(
        "pledge_consents",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("pledge_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("consent_to", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("counterparty_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
        sa.Column("document_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_consents_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_consents")),
    )
    op.create_index("ix_pledge_consents_pledge", "pledge_consents", ["pledge_id"], unique=False)

    op.create_table(
        "bank_policies",
        sa.Column("bank_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("min_remaining_term_years", sa.Integer(), nullable=False),
        sa.Column("loan_to_value_percent", _PERCENT, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bank_org_id", name=op.f("pk_bank_policies")),
    )
    op.create_table(
        "bank_topics",
        sa.Column("bank_org_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("bank_org_id", name=op.f("pk_bank_topics")),
    )
    op.create_table(
        "risk_programmes",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("region_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("budget", _MONEY, nullable=False),
        sa.Column("remaining_budget", _MONEY, nullable=False),
        sa.Column("fund_share", _PERCENT, nullable=False),
        sa.Column("bank_share", _PERCENT, nullable=False),
        sa.Column("insurer_share", _PERCENT, nullable=False),
        sa.Column("appraiser_share", _PERCENT, nullable=False),
        sa.Column("max_secured_amount", _MONEY, nullable=True),
        sa.Column("bank_org_ids", postgresql.ARRAY(sa.String()), nullable=False),
        _created_at(),
        sa.CheckConstraint(
            "fund_share + bank_share + insurer_share + appraiser_share = 100",
            name=op.f("ck_risk_programmes_shares_total_100"),
        ),
        sa.CheckConstraint(
            "remaining_budget >= 0 AND remaining_budget <= budget",
            name=op.f("ck_risk_programmes_remaining_budget_in_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_programmes")),
    )
    op.create_table(
        "compensation_claims",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("pledge_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("loss", _MONEY, nullable=False),
        sa.Column("shares", postgresql.JSONB(), nullable=False),
        sa.Column("fund_shortfall", _MONEY, nullable=False),
        sa.Column("claimed_on", sa.Date(), nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_compensation_claims_pledge_id_pledges")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["risk_programmes.id"],
            name=op.f("fk_compensation_claims_programme_id_risk_programmes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compensation_claims")),
        sa.UniqueConstraint("pledge_id", name=op.f("uq_compensation_claims_pledge_id")),
    )


def downgrade() -> None:
    op.drop_table("compensation_claims")
    op.drop_table("risk_programmes")
    op.drop_table("bank_topics")
    op.drop_table("bank_policies")
    op.drop_index("ix_pledge_consents_pledge", table_name="pledge_consents")
    op.drop_table("pledge_consents")
    for name in (
        "buyer",
        "disposal_method",
        "realised_on",
        "defaulted_on",
        "overdue_since",
        "disbursed_on",
        "realisation_proceeds",
        "disposal_valuation",
        "outstanding_amount",
        "disbursed_amount",
        "change_count",
        "correction_reason",
        "refusal_reason",
        "approved_on",
    ):
        op.drop_column("pledges", name)
