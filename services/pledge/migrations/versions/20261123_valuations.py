"""valuations: the patent view learns IPC codes and legal events; valuations are kept

Revision ID: 91d3a6f0c2b7
Revises: 7c41b9e2d5a0
Create Date: 2026-11-23 09:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "91d3a6f0c2b7"
down_revision: str | None = "7c41b9e2d5a0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONEY = sa.Numeric(precision=18, scale=2)


def upgrade() -> None:
    op.add_column(
        "patent_views",
        sa.Column("ipc_codes", postgresql.ARRAY(sa.String()), server_default="{}", nullable=False),
    )
    op.add_column(
        "patent_views",
        sa.Column("status_change_count", sa.Integer(), server_default="0", nullable=False),
    )
    op.create_table(
        "valuations",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("pledge_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("application_numbers", postgresql.ARRAY(sa.String()), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("method_version", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("low", _MONEY, nullable=False),
        sa.Column("point", _MONEY, nullable=False),
        sa.Column("high", _MONEY, nullable=False),
        sa.Column("patents", postgresql.JSONB(), nullable=False),
        sa.Column("loan_to_value_percent", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("proposed_max_loan", _MONEY, nullable=True),
        sa.Column("valued_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_valuations_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_valuations")),
    )
    op.create_index("ix_valuations_pledge", "valuations", ["pledge_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_valuations_pledge", table_name="valuations")
    op.drop_table("valuations")
    op.drop_column("patent_views", "status_change_count")
    op.drop_column("patent_views", "ipc_codes")
