"""outbox relay state: the Kafka cluster last published to, and a replay in progress

Revision ID: 6c59da7c59c2
Revises: fe8eac7815d0
Create Date: 2026-12-06 09:00:00.000000
"""

from collections.abc import Sequence

from shared.db.migrations import create_outbox_relay_state, drop_outbox_relay_state

revision: str = "6c59da7c59c2"
down_revision: str | None = "fe8eac7815d0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_outbox_relay_state()


def downgrade() -> None:
    drop_outbox_relay_state()
