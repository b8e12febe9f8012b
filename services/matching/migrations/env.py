"""Alembic environment of the matching database."""

from matching.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
