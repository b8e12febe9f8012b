"""Alembic environment of the statistics database."""

from ip_statistics.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
