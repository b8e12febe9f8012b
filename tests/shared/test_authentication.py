"""The bearer dependency every endpoint uses: who is calling, what a caller without a
good token is told, and how OpenAPI documents it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from shared.auth import OrgType
from shared.auth.dependencies import CurrentPrincipal
from shared.auth.tokens import TokenVerifier, issue_token
from shared.http.problems import PROBLEM_JSON, install_problem_handlers
from shared.settings import ServiceSettings

SETTINGS = ServiceSettings()


def app() -> FastAPI:
    application = FastAPI()
    application.state.token_verifier = TokenVerifier.from_settings(SETTINGS)
    install_problem_handlers(application)

    @application.get("/whoami")
    async def whoami(caller: CurrentPrincipal) -> dict[str, str]:
        return {"org_id": caller.org_id, "org_name": caller.org_name}

    @application.post("/whoami")
    async def introduce(caller: CurrentPrincipal) -> dict[str, str]:
        return {"org_id": caller.org_id, "org_name": caller.org_name}

    return application


async def call(headers: dict[str, str], method: str = "GET") -> httpx.Response:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, "/whoami", headers=headers)


def token(**overrides: Any) -> str:
    return issue_token(
        SETTINGS, org_id="org-zju", org_name="浙江大学", org_type=OrgType.UNIVERSITY, **overrides
    )


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
async def test_a_valid_token_names_the_caller_whatever_the_scheme_case(scheme: str) -> None:
    reply = await call({"Authorization": f"{scheme} {token()}"})
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"org_id": "org-zju", "org_name": "浙江大学"}


@pytest.mark.parametrize(
    ("authorization", "detail"),
    [
        (None, "send `Authorization: Bearer <token>`"),
        ("", "send `Authorization: Bearer <token>`"),
        ("Bearer", "send `Authorization: Bearer <token>`"),
        ("Bearer   ", "send `Authorization: Bearer <token>`"),
        ("Basic b3JnOnNlY3JldA==", "send `Authorization: Bearer <token>`"),
        ("Bearer not-a-token", "token is not valid"),
        (f"Bearer {token(ttl_seconds=-1)}", "token has expired"),
    ],
)
async def test_a_caller_without_a_good_token_gets_a_401_problem_saying_why(
    authorization: str | None, detail: str
) -> None:
    reply = await call({} if authorization is None else {"Authorization": authorization})
    assert reply.status_code == 401
    assert reply.headers["content-type"] == PROBLEM_JSON
    assert reply.headers["www-authenticate"] == "Bearer"
    assert reply.json()["detail"].startswith(detail)


async def test_a_read_needs_the_read_scope_and_a_change_does_not() -> None:
    write_only = {"Authorization": f"Bearer {token(scopes=['ipmarket:write'])}"}
    refused = await call(write_only)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM_JSON
    assert refused.json()["detail"] == "token lacks the scope ipmarket:read"
    # Which scope a change needs is the endpoint's to say (shared.auth.dependencies.require).
    assert (await call(write_only, "POST")).status_code == 200
    read_only = {"Authorization": f"Bearer {token(scopes=['ipmarket:read'])}"}
    assert (await call(read_only)).status_code == 200


def test_openapi_documents_the_bearer_scheme_on_the_endpoint() -> None:
    document = app().openapi()
    assert document["components"]["securitySchemes"] == {
        "HTTPBearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "Bearer token (JWT) of the organisation.",
        }
    }
    assert document["paths"]["/whoami"]["get"]["security"] == [{"HTTPBearer": []}]
