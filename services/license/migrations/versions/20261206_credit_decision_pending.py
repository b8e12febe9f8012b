"""an objection's decision day may wait for a year the working-day calendar lacks

Revision ID: 20261206_credit_decision_pending
Revises: 20261206_mediation_calendar_wait
Create Date: 2026-12-06 18:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_credit_decision_pending"
down_revision: str | None = "20261206_mediation_calendar_wait"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL until the calendar covers the days the 10 working days need; the deadline
    # watch counts it then.
    op.alter_column("credit_objections", "decide_by", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    # An objection still waiting gets its filing day: the regulator sees it as due at once.
    op.execute(
        "UPDATE credit_objections SET decide_by = (filed_at AT TIME ZONE 'Asia/Shanghai')::date "
        "WHERE decide_by IS NULL"
    )
    op.alter_column("credit_objections", "decide_by", existing_type=sa.Date(), nullable=False)
