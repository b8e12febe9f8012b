"""Alembic environment of the listing database."""

from listing.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
