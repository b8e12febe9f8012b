"""A platform's read-only token sees its endpoints and changes nothing."""

from __future__ import annotations

import uuid

import httpx

from shared.auth import OrgType
from tests.support.stack import Org
from tests.webhooks.support import operator_headers
from webhooks.config import WebhooksSettings


async def test_a_read_only_platform_token_reads_but_cannot_change_endpoints_or_secrets(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    suffix = uuid.uuid4().hex[:10]
    exchange = Org(f"exchange-{suffix}", f"技术交易所-{suffix}", OrgType.EXCHANGE, None)
    platform = await webhooks_client.post(
        "/v1/platforms",
        json={"org_id": exchange.org_id, "name": exchange.name},
        headers=operator_headers(webhooks_settings),
    )
    assert platform.status_code == 201, platform.text
    platform_id = platform.json()["id"]
    writer = exchange.headers(webhooks_settings)
    endpoint = await webhooks_client.post(
        f"/v1/platforms/{platform_id}/endpoints",
        json={"url": "http://127.0.0.1:9/hooks"},
        headers=writer,
    )
    assert endpoint.status_code == 201, endpoint.text
    endpoint_id = endpoint.json()["id"]

    reader = exchange.headers(webhooks_settings, scopes=["ipmarket:read"])
    listed = await webhooks_client.get("/v1/endpoints", headers=reader)
    assert listed.status_code == 200, listed.text
    assert [e["id"] for e in listed.json()["items"]] == [endpoint_id]

    changes = [
        ("POST", f"/v1/platforms/{platform_id}/endpoints", {"url": "http://127.0.0.1:9/b"}),
        ("PATCH", f"/v1/endpoints/{endpoint_id}", {"status": "disabled"}),
        ("POST", f"/v1/endpoints/{endpoint_id}/secret/rotation", {}),
        ("POST", f"/v1/platforms/{platform_id}/inbound-secret/rotation", {}),
        ("POST", f"/v1/endpoints/{endpoint_id}/replay", {}),
    ]
    for method, path, body in changes:
        refused = await webhooks_client.request(method, path, json=body, headers=reader)
        assert refused.status_code == 403, (method, path, refused.text)
        assert refused.json()["detail"] == "token lacks the scope ipmarket:write"

    unchanged = await webhooks_client.get(f"/v1/endpoints/{endpoint_id}", headers=writer)
    assert unchanged.json()["status"] == endpoint.json()["status"] == "active"
    listed = await webhooks_client.get("/v1/endpoints", headers=writer)
    assert [e["id"] for e in listed.json()["items"]] == [endpoint_id]
