"""Data migrations of the license service, run against rows stored before them."""

from __future__ import annotations

import asyncio

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from license.config import LicenseSettings
from license.main import MIGRATIONS
from shared.db.engine import create_engine
from shared.db.migrations import alembic_config
from tests.support.stack import Stack

_LICENCE = """
INSERT INTO licenses (id, application_number, patent_number, kind, status, terms, licensors,
    licensor_usccs, licensee_org_id, licensee_name, licensee_uscc, licensee_org_type,
    created_at, updated_at)
VALUES (:id, '201710601862.3', 'ZL201710601862.3', 'ordinary', 'active', '{}', '[]', '{}',
    :org_id, '比亚迪股份有限公司', '91440300192317458F', 'enterprise', now(), now())
"""


async def test_an_empty_licensee_org_id_becomes_null_and_cannot_come_back(stack: Stack) -> None:
    settings = stack.settings(LicenseSettings)
    config = alembic_config(MIGRATIONS, settings.database_url)
    # The schema before licensees without an account were told apart by NULL.
    await asyncio.to_thread(command.upgrade, config, "7d3b1e6a2c90")
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(_LICENCE), {"id": "licence-empty", "org_id": ""})
            await conn.execute(text(_LICENCE), {"id": "licence-known", "org_id": "enterprise-1"})
            await conn.execute(
                text(
                    "INSERT INTO license_breaches (id, license_id, application_number, kind, "
                    "party_org_id, party_name, due_date, recorded_at) VALUES ('breach-1', "
                    "'licence-empty', '201710601862.3', 'royalty_report_overdue', '', "
                    "'比亚迪股份有限公司', current_date, now())"
                )
            )
        await asyncio.to_thread(command.upgrade, config, "head")
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT id, licensee_org_id FROM licenses ORDER BY id"))
            assert [tuple(r) for r in rows] == [
                ("licence-empty", None),
                ("licence-known", "enterprise-1"),
            ]
            party = await conn.scalar(text("SELECT party_org_id FROM license_breaches"))
            assert party is None
        with pytest.raises(IntegrityError, match="ck_licenses_licensee_org_id_not_empty"):
            async with engine.begin() as conn:
                await conn.execute(text(_LICENCE), {"id": "licence-again", "org_id": ""})
    finally:
        await engine.dispose()
