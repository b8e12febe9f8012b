"""Managing endpoints through the API: what a rate limit may be, and what is stored."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest
from alembic import command

from shared.db.engine import asyncpg_dsn
from shared.db.migrations import alembic_config
from tests.support.stack import Stack
from tests.webhooks.conftest import delivery_settings
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import connect, disconnect
from webhooks.config import WebhooksSettings
from webhooks.main import MIGRATIONS

PROBLEM = "application/problem+json"
# The revision before rate limits were bounded in the database.
BEFORE_RATE_BOUNDS = "15a4ad279efa"


def assert_rate_refused(response: httpx.Response, value: object) -> None:
    assert response.status_code == 422, (value, response.text)
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"].endswith("/validation-error")
    assert "rate_limit_per_s" in problem["detail"], problem
    assert [e["field"] for e in problem["errors"]] == ["body.rate_limit_per_s"], problem


OUT_OF_RANGE: list[Any] = [5e-324, 0, -1, 0.05, 0.0999, 1000.001, 1e308, "5", True]


async def test_a_rate_limit_outside_its_range_is_refused_naming_the_field(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    connected = await connect(webhooks_client, webhooks_settings, Receiver("bounds"))
    platform_id, endpoint_id = connected.platform["id"], connected.endpoint["id"]
    url = f"http://127.0.0.1:9/hooks/{uuid.uuid4().hex[:6]}"
    try:
        for value in OUT_OF_RANGE:
            created = await webhooks_client.post(
                f"/v1/platforms/{platform_id}/endpoints",
                json={"url": url, "rate_limit_per_s": value},
                headers=connected.headers,
            )
            assert_rate_refused(created, value)
            patched = await webhooks_client.patch(
                f"/v1/endpoints/{endpoint_id}",
                json={"rate_limit_per_s": value},
                headers=connected.headers,
            )
            assert_rate_refused(patched, value)
        # JSON has no NaN or Infinity, but a lenient parser would take them.
        for literal in ("NaN", "Infinity", "-Infinity", "1e400"):
            raw = await webhooks_client.patch(
                f"/v1/endpoints/{endpoint_id}",
                content=f'{{"rate_limit_per_s": {literal}}}',
                headers={**connected.headers, "content-type": "application/json"},
            )
            assert_rate_refused(raw, literal)

        # The bounds themselves, an integer, and null (the service's default) are taken.
        for value in (0.1, 7, 1000, None):
            patched = await webhooks_client.patch(
                f"/v1/endpoints/{endpoint_id}",
                json={"rate_limit_per_s": value},
                headers=connected.headers,
            )
            assert patched.status_code == 200, patched.text
            assert patched.json()["rate_limit_per_s"] == value
        unchanged = await webhooks_client.get(
            f"/v1/endpoints/{endpoint_id}", headers=connected.headers
        )
        assert unchanged.json()["rate_limit_per_s"] is None
    finally:
        await disconnect(webhooks_client, connected)


@pytest.fixture
async def old_database(stack: Stack) -> WebhooksSettings:
    """A webhooks database migrated only up to the revision before the rate bounds."""
    settings = delivery_settings(stack)
    config = alembic_config(MIGRATIONS, settings.database_url)
    await asyncio.to_thread(command.upgrade, config, BEFORE_RATE_BOUNDS)
    return settings


async def test_rate_limits_stored_out_of_range_are_brought_into_it(
    old_database: WebhooksSettings,
) -> None:
    stored = {
        "denormal": 5e-324,
        "zero": 0.0,
        "negative": -3.0,
        "slow": 0.01,
        "fast": 5000.0,
        "nan": float("nan"),
        "infinite": float("inf"),
        "fine": 5.0,
        "default": None,
    }
    conn = await asyncpg.connect(asyncpg_dsn(old_database.database_url))
    try:
        for name, rate in stored.items():
            await conn.execute(
                "INSERT INTO endpoints (id, platform_id, url, event_types, filters,"
                " rate_limit_per_s, status, consecutive_failures, cooldown_s, created_at)"
                " VALUES ($1, 'p', 'https://example.com/', '[\"*\"]', '{}', $2, 'active',"
                " 0, 0, now())",
                name,
                rate,
            )
        config = alembic_config(MIGRATIONS, old_database.database_url)
        await asyncio.to_thread(command.upgrade, config, "head")
        rows = await conn.fetch("SELECT id, rate_limit_per_s FROM endpoints")
        assert {r["id"]: r["rate_limit_per_s"] for r in rows} == {
            "denormal": 0.1,
            "zero": 0.1,
            "negative": 0.1,
            "slow": 0.1,
            "fast": 1000.0,
            "nan": None,
            "infinite": 1000.0,
            "fine": 5.0,
            "default": None,
        }
        # And no statement can store one out of range from now on.
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute("UPDATE endpoints SET rate_limit_per_s = 5e-324 WHERE id = 'fine'")
    finally:
        await conn.close()
