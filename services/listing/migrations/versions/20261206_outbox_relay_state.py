"""outbox relay state: the Kafka cluster last published to, and a replay in progress

Revision ID: 3edca0706906
Revises: 3f0c6b2d9e71
Create Date: 2026-12-06 09:00:00.000000
"""

from collections.abc import Sequence

from shared.db.migrations import create_outbox_relay_state, drop_outbox_relay_state

revision: str = "3edca0706906"
down_revision: str | None = "3f0c6b2d9e71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_outbox_relay_state()


def downgrade() -> None:
    drop_outbox_relay_state()
