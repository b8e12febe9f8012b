"""Alembic environment of the webhooks database."""

from shared.db.migrations import run_env
from webhooks.models import metadata

run_env(metadata)
