"""Calls to the mediation API, and what the service staged, that the mediation tests
share. Every call goes to the app whose clock the test moves (``mediation_app``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from sqlalchemy import text

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.db.engine import create_engine
from tests.license.client import learned
from tests.license.conftest import MediationApp
from tests.license.factories import EventFeed, declaration_published
from tests.support.stack import Org, org

TERM_START = date(2024, 1, 1)
TERM_END = date(2027, 12, 31)


@dataclass
class Dispute:
    """A licence, its two parties and the mediation organisation they may turn to."""

    license_id: str
    licensor: Org
    licensee: Org
    mediator: Org


async def licence_in_dispute(
    app: MediationApp,
    feed: EventFeed,
    *,
    mode: str = "running_royalty",
    term_end: date = TERM_END,
) -> Dispute:
    """A licence negotiated on a declared patent, in force from 2024-01-01 to
    ``term_end``: a running royalty of 3.5 % of net sales reported yearly (or a lump
    sum)."""
    university = org(OrgType.UNIVERSITY, "华南理工大学")
    enterprise = org(OrgType.ENTERPRISE, "广州小鹏汽车科技有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(app.client, app.settings, published.declaration_id)
    terms: dict[str, Any] = {
        "payment_mode": mode,
        "term_start": str(TERM_START),
        "term_end": str(term_end),
    }
    if mode == "running_royalty":
        terms |= {
            "royalty_base": "net_sales",
            "royalty_rate": "3.5",
            "payment_schedule": "每年3月31日前按上一年度净销售额支付",
        }
    else:
        terms["lump_sum_fee"] = "300000.00"
    granted = await app.client.post(
        "/v1/negotiated-licenses",
        json={
            "application_number": published.application_number,
            "kind": "ordinary",
            "licensee": {
                "name": enterprise.name,
                "uscc": enterprise.uscc,
                "org_id": enterprise.org_id,
            },
            "terms": terms,
            "effective_date": str(TERM_START),
        },
        headers=university.headers(app.settings),
    )
    assert granted.status_code == 201, granted.text
    mediator = org(OrgType.MEDIATOR, "广东省知识产权纠纷人民调解委员会")
    return Dispute(granted.json()["id"], university, enterprise, mediator)


def request_body(dispute: Dispute, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "license_id": dispute.license_id,
        "mediator": {"org_id": dispute.mediator.org_id, "name": dispute.mediator.name},
        "claims": "许可人要求按含税销售额计算提成费，与约定的净销售额不符",
        "dispute_arose_on": "2024-11-01",
    }
    body.update(changes)
    return body


async def call(
    app: MediationApp, who: Org, path: str, body: dict[str, Any] | None = None
) -> httpx.Response:
    """POST to ``/v1/mediation-cases{path}`` as ``who``."""
    return await app.client.post(
        f"/v1/mediation-cases{path}", json=body, headers=who.headers(app.settings)
    )


async def ok(app: MediationApp, who: Org, path: str, body: dict[str, Any] | None = None) -> Any:
    response = await call(app, who, path, body)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def staged(settings: LicenseSettings, case_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The events the service staged about the case (its outbox), oldest first: what it
    published, without waiting on the topic."""
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT event_type, payload FROM outbox "
                    "WHERE payload->>'mediation_case_id' = :id ORDER BY id"
                ),
                {"id": case_id},
            )
            return [(row.event_type, row.payload) for row in rows]
    finally:
        await engine.dispose()


def of_type(events: list[tuple[str, dict[str, Any]]], fact: str) -> list[dict[str, Any]]:
    """The payloads of ``cn.ipmarket.license.mediation.<fact>.v1`` among ``events``."""
    wanted = f"cn.ipmarket.license.mediation.{fact}.v1"
    return [payload for event_type, payload in events if event_type == wanted]
