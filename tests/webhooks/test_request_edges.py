"""Inputs at the edge of the webhooks API that must be refused by name, never be a 500."""

from __future__ import annotations

import uuid

import httpx

from tests.support.cursors import assert_crafted_cursors_refused
from tests.webhooks.support import operator_headers
from webhooks.config import WebhooksSettings

PROBLEM = "application/problem+json"


async def test_a_nul_character_in_a_body_path_or_query_is_refused_by_name(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    # PostgreSQL cannot store U+0000 in text: each of these was a 500.
    headers = operator_headers(webhooks_settings)
    platform = {"org_id": f"exchange-{uuid.uuid4().hex[:8]}", "name": "深圳\x00技术交易所"}
    for response, field in [
        (
            await webhooks_client.get("/v1/endpoints?platform_id=a%00b", headers=headers),
            "query.platform_id",
        ),
        (await webhooks_client.get("/v1/platforms/a%00b", headers=headers), "path.platform_id"),
        (
            await webhooks_client.post("/v1/platforms", json=platform, headers=headers),
            "body.name",
        ),
    ]:
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["type"].endswith("/validation-error")
        assert [e["field"] for e in problem["errors"]] == [field], problem
        assert "NUL" in problem["detail"]


async def test_a_crafted_cursor_is_refused_on_every_list(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    headers = operator_headers(webhooks_settings)
    for url in ["/v1/outbound-events", "/v1/endpoints/x/deliveries"]:
        await assert_crafted_cursors_refused(webhooks_client, url, headers)


async def test_a_platform_name_that_shows_nothing_is_refused(
    webhooks_client: httpx.AsyncClient, webhooks_settings: WebhooksSettings
) -> None:
    headers = operator_headers(webhooks_settings)
    for blank in [" ", "\u3000", "\u200b\ufeff"]:
        platform = {"org_id": f"exchange-{uuid.uuid4().hex[:8]}", "name": blank}
        response = await webhooks_client.post("/v1/platforms", json=platform, headers=headers)
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == ["body.name"]
