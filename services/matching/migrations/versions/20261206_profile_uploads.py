"""profile uploads: the jobs, files and row errors of shared.uploads (the operator's
import of enterprise profiles)

Revision ID: 20261206_profile_uploads
Revises: 20261206_outcome_facts
Create Date: 2026-12-06 16:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

from shared.uploads.tables import create_upload_tables, drop_upload_tables

revision: str = "20261206_profile_uploads"
down_revision: str | None = "20261206_outcome_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_upload_tables(op)


def downgrade() -> None:
    drop_upload_tables(op)
