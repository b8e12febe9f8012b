"""Who may run and read the reconciliation, and what bad requests answer."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlmodel import col

from registry_sync.config import RegistrySyncSettings
from registry_sync.reconciliation.models import ReconciliationRunRecord
from shared.auth import OrgType
from shared.clock import clock_for
from tests.support.stack import OPERATOR_SCOPES, eventually, org


async def test_the_operator_runs_regulators_read_others_are_refused(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings
) -> None:
    operator = org(OrgType.OPERATOR, "平台运营方")
    regulator = org(OrgType.REGULATOR, "国家知识产权局")
    enterprise = org(OrgType.ENTERPRISE, "深圳某科技有限公司")
    as_operator = operator.headers(registry_settings, scopes=OPERATOR_SCOPES)
    for other in (regulator, enterprise):
        refused = await registry_client.post(
            "/v1/reconciliation-runs", headers=other.headers(registry_settings)
        )
        assert refused.status_code == 403, refused.text
    assert (await registry_client.post("/v1/reconciliation-runs")).status_code == 401
    started = await registry_client.post("/v1/reconciliation-runs", headers=as_operator)
    assert started.status_code == 202, started.text
    path = f"/v1/reconciliation-runs/{started.json()['id']}"

    async def completed() -> dict[str, Any] | None:
        body: dict[str, Any] = (await registry_client.get(path, headers=as_operator)).json()
        return body if body["status"] == "completed" else None

    await eventually(completed)
    assert (
        await registry_client.get(path, headers=regulator.headers(registry_settings))
    ).status_code == 200
    for read in (path, f"{path}/mismatches", f"{path}/mismatches.csv"):
        denied = await registry_client.get(read, headers=enterprise.headers(registry_settings))
        assert denied.status_code == 403, read

    # However often the worker ticks (the operator's request woke it), one daily run a day.
    engine = create_async_engine(registry_settings.database_url)
    try:
        async with AsyncSession(engine) as session:
            daily = await session.scalar(
                select(func.count())
                .select_from(ReconciliationRunRecord)
                .where(col(ReconciliationRunRecord.trigger) == "scheduled")
                .where(
                    col(ReconciliationRunRecord.run_on)
                    == clock_for(registry_settings.clock_file).today()
                )
            )
    finally:
        await engine.dispose()
    assert daily == 1


async def test_bad_requests_are_clear_refusals(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings
) -> None:
    regulator = org(OrgType.REGULATOR, "上海市科学技术委员会")
    headers = regulator.headers(registry_settings)
    for missing in (
        "/v1/reconciliation-runs/nope",
        "/v1/reconciliation-runs/nope/mismatches",
        "/v1/reconciliation-runs/nope/mismatches.csv",
    ):
        answer = await registry_client.get(missing, headers=headers)
        assert answer.status_code == 404, missing
        assert answer.headers["content-type"] == "application/problem+json"
    runs = (await registry_client.get("/v1/reconciliation-runs", headers=headers)).json()
    assert runs["items"], "the worker's daily run is listed"
    run_id = runs["items"][0]["id"]
    for params, field in (
        ({"reason": "wrong"}, "reason"),
        ({"application_number": "201710601862.7"}, "application_number"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ):
        answer = await registry_client.get(
            f"/v1/reconciliation-runs/{run_id}/mismatches", params=params, headers=headers
        )
        assert 400 <= answer.status_code < 500, (params, answer.status_code)
        assert answer.headers["content-type"] == "application/problem+json"
        assert field in answer.text
