"""insurance: products, policies bound to a pledge, licence or patent, and claims

Revision ID: a4e7c1d9b3f2
Revises: 91d3a6f0c2b7
Create Date: 2026-11-23 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "a4e7c1d9b3f2"
down_revision: str | None = "91d3a6f0c2b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONEY = sa.Numeric(precision=18, scale=2)


def _text(name: str, length: int, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def _created_at() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "insurance_products",
        _text("id", 36),
        _text("kind", 40),
        _text("name", 255),
        _text("insurer_org_id", 64),
        _text("insurer_name", 255),
        sa.Column("premium_rate_percent", sa.Numeric(precision=7, scale=4), nullable=False),
        sa.Column("max_coverage", _MONEY, nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance_products")),
    )
    op.create_table(
        "insurance_policies",
        _text("id", 36),
        _text("product_id", 36),
        _text("kind", 40),
        _text("insurer_org_id", 64),
        _text("insured_org_id", 64),
        _text("insured_name", 255),
        _text("pledge_id", 36, nullable=True),
        _text("license_id", 64, nullable=True),
        sa.Column("application_numbers", postgresql.ARRAY(sa.String()), nullable=False),
        sa.Column("coverage", _MONEY, nullable=False),
        sa.Column("premium", _MONEY, nullable=False),
        sa.Column("committed", _MONEY, nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        _created_at(),
        sa.CheckConstraint(
            "committed <= coverage", name=op.f("ck_insurance_policies_committed_within_coverage")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["insurance_products.id"],
            name=op.f("fk_insurance_policies_product_id_insurance_products"),
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_insurance_policies_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance_policies")),
    )
    op.create_index(
        "ix_insurance_policies_pledge", "insurance_policies", ["pledge_id"], unique=False
    )
    op.create_table(
        "insurance_claims",
        _text("id", 36),
        _text("policy_id", 36),
        _text("status", 20),
        sa.Column("amount", _MONEY, nullable=False),
        sa.Column("approved_amount", _MONEY, nullable=True),
        sa.Column("incurred_on", sa.Date(), nullable=False),
        _text("description", 1000),
        _text("rejection_reason", 500, nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["policy_id"],
            ["insurance_policies.id"],
            name=op.f("fk_insurance_claims_policy_id_insurance_policies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insurance_claims")),
    )
    op.create_index("ix_insurance_claims_policy", "insurance_claims", ["policy_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_insurance_claims_policy", table_name="insurance_claims")
    op.drop_table("insurance_claims")
    op.drop_index("ix_insurance_policies_pledge", table_name="insurance_policies")
    op.drop_table("insurance_policies")
    op.drop_table("insurance_products")
