"""registrations go through their life (awaiting filing or details, ready, submitted,
refused, registered): a resubmission counter for the office's idempotency key, the
workers' queue index, and the catalogue view of listing's patents

Revision ID: 20261206_registration_lifecycle
Revises: 20261206_reconciliation
Create Date: 2026-12-06 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261206_registration_lifecycle"
down_revision: str | None = "20261206_reconciliation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "tech_contract_registrations"


def upgrade() -> None:
    op.add_column(
        TABLE, sa.Column("resubmissions", sa.Integer(), nullable=False, server_default="0")
    )
    op.create_index("ix_tech_contract_registrations_due", TABLE, ["status", "next_attempt_at"])
    # What was recorded before waited for a submission nobody made: a licence waits for
    # its filing now (a filing arriving later moves it on).
    op.execute(
        "UPDATE tech_contract_registrations SET status = 'awaiting_filing' "
        "WHERE status = 'pending_submission'"
    )
    op.create_table(
        "catalogued_patents",
        sa.Column("application_number", sa.String(20), primary_key=True),
        sa.Column("patent_number", sa.String(24), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("patent_kind", sa.String(20), nullable=False),
        sa.Column(
            "ipc_codes",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            server_default="[]",
        ),
        sa.Column(
            "industry_codes",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            server_default="[]",
        ),
    )


def downgrade() -> None:
    op.drop_table("catalogued_patents")
    op.execute(
        "UPDATE tech_contract_registrations SET status = 'pending_submission' "
        "WHERE status = 'awaiting_filing'"
    )
    op.drop_index("ix_tech_contract_registrations_due", table_name=TABLE)
    op.drop_column(TABLE, "resubmissions")
