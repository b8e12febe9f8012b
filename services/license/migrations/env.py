"""Alembic environment of the license database."""

from license.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
