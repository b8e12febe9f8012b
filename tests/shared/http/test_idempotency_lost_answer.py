"""A request whose effect committed but whose answer was lost is never run again, and its
retries say so instead of waiting for ever (409) or replaying a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from registry_sync.config import RegistrySyncSettings
from registry_sync.main import create_app
from shared.auth import OrgType
from shared.db.engine import asyncpg_dsn
from shared.http.dependencies import UnitOfWorkDep
from tests.support.stack import Stack, org

_LOST = "https://ipmarket.example/problems/idempotency-response-unavailable"


class AnswerFailed(RuntimeError):
    pass


def _app_with_failing_answer(settings: RegistrySyncSettings) -> FastAPI:
    app = create_app(settings)

    @app.post("/v1/test-effects/{note}", status_code=201)
    async def record_effect(note: str, uow: UnitOfWorkDep) -> dict[str, str]:
        await uow.execute_raw("CREATE TABLE IF NOT EXISTS test_effects (note text)")
        await uow.execute_raw("INSERT INTO test_effects VALUES (:note)", note=note)
        await uow.commit()
        if note.startswith("fail"):
            raise AnswerFailed("the answer failed after the effect committed")
        return {"note": note}

    return app


@pytest.fixture(scope="module")
def settings(stack: Stack) -> RegistrySyncSettings:
    return stack.settings(RegistrySyncSettings)


@pytest.fixture(scope="module")
async def client(settings: RegistrySyncSettings) -> AsyncIterator[httpx.AsyncClient]:
    app = _app_with_failing_answer(settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager:
        # As a real server would: the client sees the 500, not the exception.
        transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


@pytest.fixture(scope="module")
def operator(settings: RegistrySyncSettings) -> dict[str, str]:
    """One token for every request: a key belongs to the token's subject."""
    return org(OrgType.OPERATOR, "平台运营方").headers(settings)


def _headers(operator: dict[str, str], key: str) -> dict[str, str]:
    return {**operator, "Idempotency-Key": key}


async def _effects(settings: RegistrySyncSettings, note: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM test_effects WHERE note = $1", note))
    finally:
        await conn.close()


async def test_an_answer_that_fails_after_the_commit_is_not_replayed_nor_run_again(
    client: httpx.AsyncClient, settings: RegistrySyncSettings, operator: dict[str, str]
) -> None:
    first = await client.post("/v1/test-effects/fail-1", headers=_headers(operator, "lost-1"))
    assert first.status_code == 500

    for _ in range(2):
        retry = await client.post("/v1/test-effects/fail-1", headers=_headers(operator, "lost-1"))
        assert retry.status_code == 410, retry.text
        assert retry.headers["content-type"] == "application/problem+json"
        problem = retry.json()
        assert problem["type"] == _LOST
        assert "took effect" in problem["detail"]
    assert await _effects(settings, "fail-1") == 1


async def test_a_key_whose_answer_never_came_is_reported_lost_once_the_grace_has_passed(
    client: httpx.AsyncClient, settings: RegistrySyncSettings, operator: dict[str, str]
) -> None:
    answered = await client.post("/v1/test-effects/crash-1", headers=_headers(operator, "lost-2"))
    assert answered.status_code == 201
    # As if the process had stopped between the commit and storing the answer.
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        await conn.execute(
            "UPDATE idempotency_keys SET status_code = NULL, response_body = NULL "
            "WHERE idempotency_key = 'lost-2'"
        )
        in_progress = await client.post(
            "/v1/test-effects/crash-1", headers=_headers(operator, "lost-2")
        )
        assert in_progress.status_code == 409
        await conn.execute(
            "UPDATE idempotency_keys SET created_at = $1 WHERE idempotency_key = 'lost-2'",
            datetime.now(UTC) - timedelta(minutes=5),
        )
    finally:
        await conn.close()

    retry = await client.post("/v1/test-effects/crash-1", headers=_headers(operator, "lost-2"))
    assert retry.status_code == 410, retry.text
    assert retry.json()["type"] == _LOST
    assert await _effects(settings, "crash-1") == 1
