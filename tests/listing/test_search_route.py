"""DirectRoute: an endpoint that takes the request and answers it itself, documented and
refused like any other."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from listing.api.search.query import QueryModel
from listing.api.search.route import DirectRoute
from shared.auth import OrgType
from shared.auth.dependencies import BEARER_SECURITY, CurrentPrincipal, authenticate
from shared.auth.tokens import TokenVerifier, issue_token
from shared.errors import NotFound
from shared.http.problems import PROBLEM_JSON, install_problem_handlers
from shared.settings import ServiceSettings

SETTINGS = ServiceSettings()


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(min_length=2, description="关键词", examples=["电池"])


PARAMS = QueryModel(Params)


def app() -> FastAPI:
    application = FastAPI()
    application.state.token_verifier = TokenVerifier.from_settings(SETTINGS)
    install_problem_handlers(application)
    direct = APIRouter(route_class=DirectRoute)

    @direct.get("/direct", openapi_extra={**PARAMS.openapi, "security": BEARER_SECURITY})
    async def answer(request: Request) -> Response:
        caller = await authenticate(request)
        params = await PARAMS(request)
        if params.q == "没有":
            raise NotFound("nothing is called 没有")
        return Response(f"{caller.org_name}:{params.q}".encode(), media_type="text/plain")

    @application.get("/whoami")
    async def whoami(caller: CurrentPrincipal) -> str:
        return caller.org_name

    application.include_router(direct)
    return application


async def get(params: dict[str, str], headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/direct", params=params, headers=headers)


BEARER = {
    "Authorization": "Bearer "
    + issue_token(SETTINGS, org_id="org-zju", org_name="浙江大学", org_type=OrgType.UNIVERSITY)
}


async def test_the_endpoint_answers_with_its_own_response() -> None:
    reply = await get({"q": "电池"}, BEARER)
    assert reply.status_code == 200
    assert reply.text == "浙江大学:电池"


async def test_its_refusals_are_problems_like_any_endpoint_s() -> None:
    for params, headers, status, slug in [
        ({"q": "电池"}, {}, 401, "unauthorized"),
        ({"q": "电"}, BEARER, 422, "validation-error"),
        ({"q": "没有"}, BEARER, 404, "not-found"),
    ]:
        reply = await get(params, headers)
        assert reply.status_code == status, reply.text
        assert reply.headers["content-type"] == PROBLEM_JSON
        assert reply.json()["type"].endswith("/" + slug)


def test_openapi_documents_its_parameters_and_security_like_a_dependency_s() -> None:
    document = app().openapi()
    operation = document["paths"]["/direct"]["get"]
    assert operation["security"] == document["paths"]["/whoami"]["get"]["security"]
    assert operation["security"] == [{"HTTPBearer": []}]
    assert [(p["name"], p["in"], p["required"]) for p in operation["parameters"]] == [
        ("q", "query", True)
    ]
    assert "requestBody" not in operation


def test_an_endpoint_that_declares_what_it_would_not_be_given_is_refused() -> None:
    # FastAPI injects nothing into a direct endpoint: declaring a parameter or a
    # dependency would mean a call without it, so the route refuses to be built.
    async def needs_q(request: Request, q: str) -> Response:
        raise AssertionError("never called")

    async def guarded(request: Request) -> Response:
        raise AssertionError("never called")

    with pytest.raises(TypeError, match=r"takes only the Request, not \['q'\]"):
        APIRouter(route_class=DirectRoute).get("/q")(needs_q)
    with pytest.raises(TypeError, match=r"not \['BearerAuthentication'\]"):
        APIRouter(route_class=DirectRoute, dependencies=[Depends(authenticate)]).get("/g")(guarded)
