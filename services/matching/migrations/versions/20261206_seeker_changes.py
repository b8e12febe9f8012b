"""seeker_changes: a change number on every enterprise profile and need

Each instance of matching holds the seekers in memory and takes again those whose
number is above what it has seen (less a margin for transactions that committed after
later ones). A trigger gives a row a new number on every update, whoever writes it.

Revision ID: 20261206_seeker_changes
Revises: 20261206_rematch_jobs
Create Date: 2026-12-06 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_seeker_changes"
down_revision: str | None = "20261206_rematch_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("enterprise_profiles", "needs")


def upgrade() -> None:
    op.execute("CREATE SEQUENCE seeker_changes")
    op.execute(
        "CREATE FUNCTION seeker_changed() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN NEW.change_seq := nextval('seeker_changes'); RETURN NEW; END $$"
    )
    for table in TABLES:
        op.add_column(
            table,
            sa.Column(
                "change_seq",
                sa.BigInteger(),
                server_default=sa.text("nextval('seeker_changes')"),
                nullable=False,
            ),
        )
        op.create_index(f"ix_{table}_change_seq", table, ["change_seq"])
        op.execute(
            f"CREATE TRIGGER tg_{table}_changed BEFORE UPDATE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION seeker_changed()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER tg_{table}_changed ON {table}")
        op.drop_index(f"ix_{table}_change_seq", table_name=table)
        op.drop_column(table, "change_seq")
    op.execute("DROP FUNCTION seeker_changed()")
    op.execute("DROP SEQUENCE seeker_changes")
