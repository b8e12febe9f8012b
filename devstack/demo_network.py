"""The local run's connected platform: 深圳技术交易所 subscribes an endpoint where nothing
listens, so the console's network page shows what an exchange that is down looks like
(failed attempts, the endpoint failing, deliveries to replay) from the first run on.

Apart from the demo data set (``devstack.demo``): the fuzzing stage loads that set into a
webhooks service that keeps production's rules for endpoint URLs (https, public
addresses), which refuse this one."""

from __future__ import annotations

import httpx

from devstack.demo import EXCHANGE, EXCHANGE_ROLE

__all__ = ["EXCHANGE_ROLE", "connect_demo_exchange"]

# The discard port: nothing listens on it here, so every delivery is refused at once.
NOBODY_LISTENS = "http://127.0.0.1:9/ipmarket/webhooks"


async def connect_demo_exchange(webhooks: str, operator_token: str, exchange_token: str) -> str:
    """Connect the demo exchange's platform and its endpoint, once; the line to print."""
    async with httpx.AsyncClient(timeout=30) as client:
        return await _connect(
            client,
            webhooks,
            {"Authorization": f"Bearer {operator_token}"},
            {"Authorization": f"Bearer {exchange_token}"},
        )


async def _connect(
    client: httpx.AsyncClient,
    webhooks: str,
    operator: dict[str, str],
    exchange: dict[str, str],
) -> str:
    org_id, name = EXCHANGE.org_id, EXCHANGE.name
    mine = await client.get(f"{webhooks}/v1/platforms", headers=exchange)
    if mine.status_code == 200 and mine.json()["items"]:
        return f"{name} already connected (kept from an earlier run)"
    platform = await client.post(
        f"{webhooks}/v1/platforms",
        json={"org_id": org_id, "name": name, "region_code": "440300"},
        headers=operator,
    )
    if platform.status_code != 201:
        raise RuntimeError(f"demo platform: {platform.status_code} {platform.text}")
    endpoint = await client.post(
        f"{webhooks}/v1/platforms/{platform.json()['id']}/endpoints",
        json={"url": NOBODY_LISTENS, "description": "深圳技术交易所主站（演示：无人接收）"},
        headers=exchange,
    )
    if endpoint.status_code != 201:
        raise RuntimeError(f"demo endpoint: {endpoint.status_code} {endpoint.text}")
    return (
        f"{name} connected; its endpoint {NOBODY_LISTENS} is down on purpose: "
        "the console's network page shows its failures and replays them"
    )
