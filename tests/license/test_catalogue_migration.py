"""The patent status view folds into the catalogue view: the statuses license learned
before the catalogue existed are carried into it by the migration."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import text

from license.config import LicenseSettings
from license.main import MIGRATIONS
from shared.db.engine import create_engine
from shared.db.migrations import alembic_config
from tests.support.stack import Stack


async def test_known_legal_statuses_are_carried_into_the_catalogue_view(stack: Stack) -> None:
    settings = stack.settings(LicenseSettings)
    config = alembic_config(MIGRATIONS, settings.database_url)
    # The schema before the catalogue view.
    await asyncio.to_thread(command.upgrade, config, "fcfd8cd26ebb")
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO patent_status_views (application_number, legal_status, "
                    "updated_at) VALUES ('201710601862.3', 'terminated', "
                    "'2026-11-30T08:00:00+00'), ('201910203041.5', 'valid', now())"
                )
            )
        await asyncio.to_thread(command.upgrade, config, "head")
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT application_number, legal_status, patent_number, "
                    "status_as_of = as_of FROM catalogued_patents ORDER BY application_number"
                )
            )
            assert [tuple(r) for r in rows] == [
                ("201710601862.3", "terminated", None, True),
                ("201910203041.5", "valid", None, True),
            ]
            gone = await conn.scalar(text("SELECT to_regclass('patent_status_views')"))
            assert gone is None
        # And back: the statuses return to the status view.
        await asyncio.to_thread(command.downgrade, config, "fcfd8cd26ebb")
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT application_number, legal_status FROM patent_status_views "
                    "ORDER BY application_number"
                )
            )
            assert [tuple(r) for r in rows] == [
                ("201710601862.3", "terminated"),
                ("201910203041.5", "valid"),
            ]
    finally:
        await engine.dispose()
