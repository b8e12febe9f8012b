"""mediation deadlines wait for a year the working-day calendar lacks

Revision ID: 20261206_mediation_calendar_wait
Revises: 20261206_credit_supervision
Create Date: 2026-12-06 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_mediation_calendar_wait"
down_revision: str | None = "20261206_credit_supervision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A request whose acceptance deadline falls in a year the calendar lacks is recorded
    # with the deadline unknown; the deadline watch counts it once the year is added.
    op.alter_column("mediation_cases", "acceptance_deadline", nullable=True)
    op.alter_column("mediation_cases", "acceptance_notice_on", nullable=True)
    op.add_column(
        "mediation_cases", sa.Column("calendar_year_missing", sa.Integer(), nullable=True)
    )


def downgrade() -> None:
    # Cases still waiting have no acceptance deadline to keep: they cannot go back.
    op.drop_column("mediation_cases", "calendar_year_missing")
    op.alter_column("mediation_cases", "acceptance_notice_on", nullable=False)
    op.alter_column("mediation_cases", "acceptance_deadline", nullable=False)
