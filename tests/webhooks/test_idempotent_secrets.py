"""The answers that carry a secret are kept for Idempotency-Key replays sealed, never in
clear: on the real app and the real database."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import httpx
from cryptography.fernet import Fernet

from shared.auth import OrgType
from shared.db.engine import asyncpg_dsn
from tests.support.stack import Org
from tests.webhooks.support import operator_headers
from webhooks.config import WebhooksSettings

Post = Callable[[str, dict[str, Any], dict[str, str]], Awaitable[httpx.Response]]


def exchange() -> Org:
    suffix = uuid.uuid4().hex[:10]
    return Org(f"exchange-{suffix}", f"技术交易所-{suffix}", OrgType.EXCHANGE, None)


async def stored_row(settings: WebhooksSettings, key: str) -> dict[str, Any]:
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        row = await conn.fetchrow("SELECT * FROM idempotency_keys WHERE idempotency_key = $1", key)
    finally:
        await conn.close()
    assert row is not None, f"no idempotency row for {key}"
    return dict(row)


def assert_not_stored(row: dict[str, Any], secret: str) -> None:
    """Neither the secret nor its base64 part is in any column of the row."""
    assert secret.startswith("whsec_")
    for value in row.values():
        text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
        assert secret not in text
        assert secret.removeprefix("whsec_") not in text


async def post_twice(
    client: httpx.AsyncClient,
    settings: WebhooksSettings,
    path: str,
    body: dict[str, Any],
    headers: dict[str, str],
    field: str,
) -> tuple[httpx.Response, str]:
    """POST with a fresh Idempotency-Key, check the stored row, retry; the first answer."""
    key = f"secret-{uuid.uuid4().hex}"
    keyed = {**headers, "Idempotency-Key": key}
    first = await client.post(path, json=body, headers=keyed)
    assert first.status_code in (200, 201), first.text
    secret = first.json()[field]
    row = await stored_row(settings, key)
    assert row["response_sealed"] is True
    assert_not_stored(row, secret)
    again = await client.post(path, json=body, headers=keyed)
    assert again.status_code == first.status_code, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    return first, key


async def test_every_answer_carrying_a_secret_is_stored_sealed_and_replays_in_clear(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    platform_org = exchange()
    ops = operator_headers(webhooks_settings)
    platform, _ = await post_twice(
        webhooks_client,
        webhooks_settings,
        "/v1/platforms",
        {"org_id": platform_org.org_id, "name": platform_org.name, "region_code": "440300"},
        ops,
        "inbound_secret",
    )
    platform_id = platform.json()["id"]
    own = platform_org.headers(webhooks_settings)
    endpoint, _ = await post_twice(
        webhooks_client,
        webhooks_settings,
        f"/v1/platforms/{platform_id}/endpoints",
        {"url": "http://127.0.0.1:9/hooks"},
        own,
        "secret",
    )
    await post_twice(
        webhooks_client,
        webhooks_settings,
        f"/v1/endpoints/{endpoint.json()['id']}/secret/rotation",
        {},
        own,
        "secret",
    )
    await post_twice(
        webhooks_client,
        webhooks_settings,
        f"/v1/platforms/{platform_id}/inbound-secret/rotation",
        {},
        own,
        "inbound_secret",
    )


async def test_a_stored_answer_sealed_under_a_retired_key_is_refused_with_a_problem(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    platform_org = exchange()
    body = {"org_id": platform_org.org_id, "name": platform_org.name}
    ops = operator_headers(webhooks_settings)
    _, key = await post_twice(
        webhooks_client, webhooks_settings, "/v1/platforms", body, ops, "inbound_secret"
    )
    # As if the key that sealed it had been removed from WEBHOOKS_SECRET_ENCRYPTION_KEYS.
    retired = Fernet(Fernet.generate_key())
    conn = await asyncpg.connect(asyncpg_dsn(webhooks_settings.database_url))
    try:
        await conn.execute(
            "UPDATE idempotency_keys SET response_body = $2 WHERE idempotency_key = $1",
            key,
            retired.encrypt(b'{"inbound_secret": "whsec_gone"}'),
        )
    finally:
        await conn.close()
    refused = await webhooks_client.post(
        "/v1/platforms", json=body, headers={**ops, "Idempotency-Key": key}
    )
    assert refused.status_code == 410, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"].endswith("/idempotency-response-unavailable")
    assert "cannot be decrypted" in problem["detail"]
    assert "whsec_gone" not in refused.text
