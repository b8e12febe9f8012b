"""fee reduction: a declaration's annual-fee reduction withheld by a credit record

Revision ID: 20261206_fee_reduction
Revises: 20261206_supply_review
Create Date: 2026-12-06 17:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261206_fee_reduction"
down_revision: str | None = "20261206_supply_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "declarations",
        sa.Column(
            "fee_reduction_withheld_by", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True
        ),
    )


def downgrade() -> None:
    op.drop_column("declarations", "fee_reduction_withheld_by")
