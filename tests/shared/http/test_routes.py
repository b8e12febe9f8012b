"""StrictRoute: what a route does not declare is refused, and so is what PostgreSQL cannot
store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from shared.auth.tokens import TokenVerifier
from shared.http.app import create_http_app
from shared.http.problems import PROBLEM_JSON, install_problem_handlers
from shared.http.routes import StrictRoute
from shared.runtime import ServiceRuntime
from shared.settings import ServiceSettings
from tests.shared import harness

SETTINGS = ServiceSettings()


# --- StrictRoute: what a route does not declare is refused --------------------------------


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str | None = Field(default=None, alias="type")
    region: list[str] = Field(default_factory=list)


class Note(BaseModel):
    text: str
    tags: dict[str, object] = Field(default_factory=dict)


class Anything(BaseModel):
    model_config = ConfigDict(extra="allow")


def paging(limit: int = 20, cursor: str | None = None) -> dict[str, object]:
    return {"limit": limit, "cursor": cursor}


def strict_app() -> FastAPI:
    application = FastAPI()
    application.state.token_verifier = TokenVerifier.from_settings(SETTINGS)
    install_problem_handlers(application)
    router = APIRouter(route_class=StrictRoute)

    @router.get("/plain/{item_id}")
    async def plain(
        item_id: str,
        page: Annotated[dict[str, object], Depends(paging)],
        state: Annotated[str | None, Query(alias="status")] = None,
    ) -> dict[str, object]:
        return {"item_id": item_id, "status": state, **page}

    @router.get("/modelled")
    async def modelled(filters: Annotated[Filters, Query()]) -> dict[str, object]:
        return filters.model_dump()

    @router.get("/open")
    async def open_ended(extra: Annotated[Anything, Query()]) -> dict[str, object]:
        return extra.model_dump()

    @router.post("/notes")
    async def post_note(note: Note) -> dict[str, object]:
        return note.model_dump()

    @router.post("/raw")
    async def raw(request: Request) -> Response:
        return Response(await request.body(), media_type="application/octet-stream")

    # An endpoint that reads the query string itself and documents what it takes.
    documented = {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}]}

    @router.get("/documented", openapi_extra=documented)
    async def reads_itself(request: Request) -> Response:
        return Response(request.query_params["q"], media_type="text/plain")

    application.include_router(router)
    return application


async def strict_get(url: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=strict_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(url)


async def test_a_strict_route_takes_what_it_declares_however_declared() -> None:
    for url, status in [
        ("/plain/7?status=open&limit=5&cursor=abc&limit=6", 200),
        ("/modelled?type=a&region=44&region=4403", 200),
        ("/open?whatever=1&else=2", 200),
        ("/documented?q=电池", 200),
        ("/plain/7?state=open", 422),  # the parameter's name, not its alias
        ("/modelled?kind=a", 422),
        ("/documented?q=电池&sort=price", 422),
    ]:
        reply = await strict_get(url)
        assert reply.status_code == status, (url, reply.text)


async def test_an_undeclared_parameter_is_a_problem_naming_it_and_what_is_taken() -> None:
    reply = await strict_get("/plain/7?limit=5&statuss=open&x=1&x=2")
    assert reply.status_code == 422
    assert reply.headers["content-type"] == PROBLEM_JSON
    problem = reply.json()
    assert problem["type"].endswith("/validation-error")
    message = "unknown query parameter; this endpoint takes: cursor, limit, status"
    assert problem["errors"] == [
        {"field": "query.statuss", "message": message, "code": "extra_forbidden"},
        {"field": "query.x", "message": message, "code": "extra_forbidden"},
        {"field": "query.x", "message": message, "code": "extra_forbidden"},
    ]
    assert problem["detail"].startswith("query.statuss: unknown query parameter")


def test_an_app_refuses_a_router_whose_routes_are_not_strict() -> None:
    runtime = ServiceRuntime(
        SETTINGS, tables=harness.tables, migrations_dir=Path("."), publishes=set()
    )
    loose = APIRouter()

    @loose.get("/loose")
    async def anything() -> str:
        return "ok"

    with pytest.raises(TypeError, match=r"\['GET'\] /loose are not StrictRoutes"):
        create_http_app(runtime, title="t", description="d", routers=[loose])


async def strict_post(url: str, body: bytes, content_type: str | None) -> httpx.Response:
    transport = httpx.ASGITransport(app=strict_app())
    headers = {"content-type": content_type} if content_type else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.post(url, content=body, headers=headers)


def nul_fields(reply: httpx.Response) -> list[str]:
    assert reply.status_code == 422, reply.text
    return [e["field"] for e in reply.json()["errors"] if e["code"] == "nul_character"]


async def test_nul_is_refused_wherever_a_string_can_carry_it() -> None:
    body = b'{"text": "a\\u0000", "tags": {"k\\u0000": 1, "list": ["ok", "x\\u0000"]}}'
    assert nul_fields(await strict_post("/notes", body, "application/json")) == [
        "body.text",
        "body.tags.k\x00",
        "body.tags.list.1",
    ]
    assert nul_fields(await strict_post("/raw", body, None)) == [
        "body.text",
        "body.tags.k\x00",
        "body.tags.list.1",
    ]
    reply = await strict_get("/plain/a%00b?status=c%00d&cursor=e%00f&whom=g%00h")
    assert nul_fields(reply) == ["query.status", "query.cursor", "path.item_id"]
    assert [(e["field"], e["code"]) for e in reply.json()["errors"]][2] == (
        "query.whom",  # not taken at all
        "extra_forbidden",
    )
    assert nul_fields(await strict_get("/open?anything=a%00b")) == ["query.anything"]


async def test_what_only_looks_like_nul_or_is_not_json_text_passes_to_the_endpoint() -> None:
    escaped = b'{"text": "a\\\\u0000"}'  # a backslash, then "u0000"
    reply = await strict_post("/notes", escaped, "application/json")
    assert reply.status_code == 200, reply.text
    assert reply.json()["text"] == "a\\u0000"
    # Binary bodies may hold any byte; only JSON text is read.
    assert (await strict_post("/raw", b"%PDF\x00\\u0000", "application/pdf")).status_code == 200
    broken = await strict_post("/notes", b'{"text": "\\u0000', "application/json")
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["code"] == "json_invalid"
    deep = b"[" * 5000 + b'"\\u0000"' + b"]" * 5000
    assert (await strict_post("/notes", deep, "application/json")).status_code in (400, 422)
