"""inventory uploads: the jobs, files and row errors of shared.uploads

Revision ID: 20261206_inventory_uploads
Revises: 20261206_coverage
Create Date: 2026-12-06 13:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

from shared.uploads.tables import create_upload_tables, drop_upload_tables

revision: str = "20261206_inventory_uploads"
down_revision: str | None = "20261206_coverage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_upload_tables(op)


def downgrade() -> None:
    drop_upload_tables(op)
