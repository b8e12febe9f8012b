"""endpoint rate limits within their bounds

Revision ID: a5150fa5a2ab
Revises: 15a4ad279efa
Create Date: 2026-12-06 09:00:00.000000

A rate limit stored before the bounds existed is brought into them (0.1 to 1000 per
second, those of ``webhooks.domain.pacing``; a value that is not a number becomes null,
the service's default), then a check keeps it there.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a5150fa5a2ab"
down_revision: str | None = "15a4ad279efa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("UPDATE endpoints SET rate_limit_per_s = NULL WHERE rate_limit_per_s = 'NaN'")
    op.execute("UPDATE endpoints SET rate_limit_per_s = 0.1 WHERE rate_limit_per_s < 0.1")
    op.execute("UPDATE endpoints SET rate_limit_per_s = 1000 WHERE rate_limit_per_s > 1000")
    op.create_check_constraint(
        op.f("ck_endpoints_rate_limit_range"),
        "endpoints",
        "rate_limit_per_s BETWEEN 0.1 AND 1000.0",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_endpoints_rate_limit_range"), "endpoints", type_="check")
