"""party restrictions: parties restricted by license's credit records

Revision ID: 20261206_party_restrictions
Revises: 20261206_patent_restatements
Create Date: 2026-12-06 17:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "20261206_party_restrictions"
down_revision: str | None = "20261206_patent_restatements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "party_restrictions",
        sa.Column("record_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("party_uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("party_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("restricted_from", sa.Date(), nullable=True),
        sa.Column("restricted_until", sa.Date(), nullable=True),
        sa.Column("lifted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_party_restrictions")),
    )
    op.create_index(
        "ix_party_restrictions_party", "party_restrictions", ["party_uscc"], unique=False
    )


def downgrade() -> None:
    op.drop_table("party_restrictions")
