"""Alembic environment of the registry-sync database."""

from registry_sync.models import metadata
from shared.db.migrations import run_env

run_env(metadata)
