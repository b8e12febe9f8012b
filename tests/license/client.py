"""Calls to the license API that the tests share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from tests.support.stack import Org, eventually, org

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
