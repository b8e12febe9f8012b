"""search keys: bigrams and facet keys in one GIN index

Revision ID: 3f0c6b2d9e71
Revises: 689794294d5f
Create Date: 2026-11-23 10:40:00

A search's keyword bigrams and its filters are now one containment test on one GIN
index, which intersects their posting lists inside the index. Two indexes made the
planner choose between them on estimates that are poor for bigrams of one word (高熵,
熵合 always come together), and a keyword plus two filters fetched 30,000 rows to keep
none. ``facet_keys`` stays, unindexed, for filtering the rows read in sort order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "3f0c6b2d9e71"
down_revision: str | None = "689794294d5f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "patents",
        sa.Column(
            "search_keys", postgresql.ARRAY(sa.String()), nullable=False, server_default="{}"
        ),
    )
    op.execute(
        "UPDATE patents SET search_keys = ARRAY("
        "SELECT DISTINCT k FROM unnest(search_grams || facet_keys) AS k ORDER BY k)"
    )
    op.alter_column("patents", "search_keys", server_default=None)
    op.create_index(
        "ix_patents_search_keys", "patents", ["search_keys"], unique=False, postgresql_using="gin"
    )
    op.drop_index("ix_patents_search_grams", table_name="patents", postgresql_using="gin")
    op.drop_index("ix_patents_facet_keys", table_name="patents", postgresql_using="gin")
    op.drop_column("patents", "search_grams")


def downgrade() -> None:
    op.add_column(
        "patents",
        sa.Column(
            "search_grams", postgresql.ARRAY(sa.String()), nullable=False, server_default="{}"
        ),
    )
    # Facet keys carry a colon; bigrams never do (punctuation is dropped before cutting).
    op.execute(
        "UPDATE patents SET search_grams = ARRAY("
        "SELECT k FROM unnest(search_keys) AS k WHERE strpos(k, ':') = 0 ORDER BY k)"
    )
    op.alter_column("patents", "search_grams", server_default=None)
    op.create_index(
        "ix_patents_facet_keys", "patents", ["facet_keys"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        "ix_patents_search_grams", "patents", ["search_grams"], unique=False, postgresql_using="gin"
    )
    op.drop_index("ix_patents_search_keys", table_name="patents", postgresql_using="gin")
    op.drop_column("patents", "search_keys")
