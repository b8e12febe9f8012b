"""Alembic environment of the pledge database."""

from pledge.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
