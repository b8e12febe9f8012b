"""the relevance indexes' feed: which transaction last wrote each listing

Revision ID: 20261207_search_feed
Revises: 20261207_listing_lifecycle
Create Date: 2026-12-07 02:00:00.000000

Each indexed table gets ``search_xid``, set by a row trigger to the writing
transaction's id, and an index on ``(search_xid, key)`` the follower reads in order
(listing.search.engine.follower). A statement trigger NOTIFYs ``listing_search`` so
every instance's follower wakes. When a patent's filterable facts change, its published
supply listings are touched too: they show the patent's facts.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261207_search_feed"
down_revision: str | None = "20261207_listing_lifecycle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {"patents": "application_number", "supply_listings": "id", "demands": "id"}
FUNCTIONS = (
    """
    CREATE FUNCTION listing_search_xid() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_xid := pg_current_xact_id()::text::bigint;
        RETURN NEW;
    END $$
    """,
    """
    CREATE FUNCTION listing_search_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('listing_search', TG_TABLE_NAME);
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION listing_search_patent_facts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE supply_listings SET search_xid = 0
         WHERE application_number = NEW.application_number AND status = 'published';
        RETURN NULL;
    END $$
    """,
)


def upgrade() -> None:
    for function in FUNCTIONS:
        op.execute(function)
    for table, key in TABLES.items():
        op.add_column(
            table, sa.Column("search_xid", sa.BigInteger(), server_default="0", nullable=False)
        )
        op.create_index(f"ix_{table}_search_feed", table, ["search_xid", key])
        op.execute(
            f"CREATE TRIGGER {table}_search_xid BEFORE INSERT OR UPDATE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION listing_search_xid()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_search_notify AFTER INSERT OR UPDATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION listing_search_notify()"
        )
    op.execute(
        "CREATE TRIGGER patents_search_facts AFTER UPDATE ON patents FOR EACH ROW"
        " WHEN (OLD.facet_keys IS DISTINCT FROM NEW.facet_keys)"
        " EXECUTE FUNCTION listing_search_patent_facts()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER patents_search_facts ON patents")
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_search_notify ON {table}")
        op.execute(f"DROP TRIGGER {table}_search_xid ON {table}")
        op.drop_index(f"ix_{table}_search_feed", table_name=table)
        op.drop_column(table, "search_xid")
    for name in ("listing_search_patent_facts", "listing_search_notify", "listing_search_xid"):
        op.execute(f"DROP FUNCTION {name}()")
