"""a licensee without a platform account has a NULL org id, never an empty one

Revision ID: e31f7c380242
Revises: 7d3b1e6a2c90
Create Date: 2026-12-06 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e31f7c380242"
down_revision: str | None = "7d3b1e6a2c90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A negotiated licence's licensee known only by name and USCC may have been stored
    # with an empty org id (and its breaches copied it): "no account" is NULL.
    op.execute("UPDATE licenses SET licensee_org_id = NULL WHERE licensee_org_id = ''")
    op.execute("UPDATE license_breaches SET party_org_id = NULL WHERE party_org_id = ''")
    op.create_check_constraint(
        op.f("ck_licenses_licensee_org_id_not_empty"), "licenses", "licensee_org_id <> ''"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_licenses_licensee_org_id_not_empty"), "licenses", type_="check")
