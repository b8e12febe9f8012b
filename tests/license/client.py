"""Calls to the license API that the tests share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import text

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.db.engine import create_engine
from shared.events import topics
from shared.events.envelope import CloudEvent
from tests.support.stack import Org, eventually, org, read_topic

PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, slug: str, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"].endswith("/" + slug), problem
    for word in words:
        assert word in problem["detail"], problem


async def learned(
    client: httpx.AsyncClient,
    settings: LicenseSettings,
    declaration_id: str,
    *,
    until: Callable[[dict[str, Any]], Any] | None = None,
) -> dict[str, Any]:
    """Wait until the service's view of the declaration exists (and satisfies ``until``)."""
    headers = org(OrgType.ENTERPRISE, "查看方").headers(settings)

    async def view() -> dict[str, Any] | None:
        response = await client.get(f"/v1/declarations/{declaration_id}", headers=headers)
        if response.status_code != 200:
            return None
        body: dict[str, Any] = response.json()
        return body if until is None or until(body) else None

    result: dict[str, Any] = await eventually(view)
    return result


async def accept(
    client: httpx.AsyncClient, settings: LicenseSettings, licensee: Org, declaration_id: str
) -> httpx.Response:
    return await client.post(
        "/v1/licenses",
        json={
            "declaration_id": declaration_id,
            "field_of_use": "储能电站电池管理系统",
            "contact": f"{licensee.name} 法务部 0755-86000000",
        },
        headers=licensee.headers(settings),
    )


async def events_of(
    settings: LicenseSettings, event_type: str, *license_ids: str, count: int = 1
) -> list[CloudEvent]:
    """Read ``ipmarket.license.v1`` until ``count`` events of ``event_type`` about each
    licence are there; return those events."""

    def about(events: list[CloudEvent]) -> list[CloudEvent]:
        return [
            e for e in events if e.type == event_type and e.data.get("license_id") in license_ids
        ]

    def enough(events: list[CloudEvent]) -> bool:
        found = about(events)
        return all(sum(1 for e in found if e.data["license_id"] == i) >= count for i in license_ids)

    return about(await read_topic(settings.kafka_bootstrap_servers, topics.LICENSE, until=enough))


async def licence_of(
    client: httpx.AsyncClient, settings: LicenseSettings, holder: Org, license_id: str
) -> dict[str, Any]:
    response = await client.get(f"/v1/licenses/{license_id}", headers=holder.headers(settings))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def emitted(settings: LicenseSettings, event_type: str, *license_ids: str) -> dict[str, int]:
    """How many events of ``event_type`` about each licence the service staged (its
    outbox): what it published, without waiting on the topic."""
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT payload->>'license_id' AS license_id, count(*) AS n FROM outbox "
                    "WHERE event_type = :type AND payload->>'license_id' = ANY(:ids) GROUP BY 1"
                ),
                {"type": event_type, "ids": list(license_ids)},
            )
            counts = {row.license_id: row.n for row in rows}
    finally:
        await engine.dispose()
    return {i: counts.get(i, 0) for i in license_ids}
