"""Calls to the deal API that the deal tests share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from license.config import LicenseSettings
from shared.domain import add_months
from tests.license.factories import EventFeed, patent_registered
from tests.support.stack import Org, consumed, real_today

PDF = b"%PDF-1.7\n% signed contract\n"


def expiry(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**(delta or {"days": 30}))).isoformat()


def licence_offer(
    kind: str = "exclusive", field_of_use: str | None = "新能源汽车动力电池管理系统", **terms: Any
) -> dict[str, Any]:
    today = real_today()
    return {
        "kind": kind,
        "field_of_use": field_of_use,
        "terms": {
            "payment_mode": "entry_fee_plus_royalty",
            "entry_fee": "800000.00",
            "royalty_base": "net_sales",
            "royalty_rate": "3.0",
            "payment_schedule": "每年3月31日前按上一年度净销售额支付",
            "term_start": str(today),
            "term_end": str(add_months(today, 36) - timedelta(days=1)),
            "territory": "中国大陆",
        }
        | terms,
    }


def transfer_offer(buyer: Org, price: str = "3500000.00") -> dict[str, Any]:
    return {
        "price": price,
        "transferees": [
            {"name": buyer.name, "uscc": buyer.uscc, "share": "100", "party_type": "enterprise"}
        ],
    }


async def registered_patent(feed: EventFeed, settings: LicenseSettings, owner: Org) -> str:
    """A valid patent of ``owner`` that license's catalogue knows."""
    registered = patent_registered(owner)
    ce = await feed.publish(registered)
    await consumed(settings, ce.id)
    return registered.application_number


async def open_deal(
    client: httpx.AsyncClient,
    settings: LicenseSettings,
    caller: Org,
    number: str,
    counterparty: Org,
    *,
    license: dict[str, Any] | None = None,
    transfer: dict[str, Any] | None = None,
    expires_at: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {
        "application_number": number,
        "counterparty": {"name": counterparty.name, "uscc": counterparty.uscc},
        "expires_at": expires_at or expiry(),
    }
    if transfer is not None:
        body["transfer"] = transfer
    else:
        body["license"] = license or licence_offer()
    return await client.post("/v1/deals", json=body, headers=caller.headers(settings))


async def act(
    client: httpx.AsyncClient,
    settings: LicenseSettings,
    caller: Org,
    deal: dict[str, Any],
    what: str,
) -> httpx.Response:
    """Accept or withdraw (``what``) the deal's open offer."""
    offer = next(o for o in deal["offers"] if o["state"] == "open")
    return await client.post(
        f"/v1/deals/{deal['id']}/offers/{offer['id']}/{what}", headers=caller.headers(settings)
    )


async def sign(
    client: httpx.AsyncClient,
    settings: LicenseSettings,
    caller: Org,
    deal_id: str,
    document: bytes = PDF,
    content_type: str = "application/pdf",
) -> httpx.Response:
    headers = caller.headers(settings) | {"content-type": content_type}
    return await client.post(f"/v1/deals/{deal_id}/signatures", content=document, headers=headers)
