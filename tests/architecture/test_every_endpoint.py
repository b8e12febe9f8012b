"""What every endpoint of every service refuses at its edge, walked from the apps' routes
so that a new endpoint is held to it too. The refusals come before authentication and
before anything touches the database, so the apps run here without their lifespan."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from ip_statistics.config import StatisticsSettings
from ip_statistics.main import create_app as statistics_app
from license.config import LicenseSettings
from license.main import create_app as license_app
from listing.config import ListingSettings
from listing.main import create_app as listing_app
from matching.config import MatchingSettings
from matching.main import create_app as matching_app
from pledge.config import PledgeSettings
from pledge.main import create_app as pledge_app
from registry_sync.config import RegistrySyncSettings
from registry_sync.main import create_app as registry_sync_app
from shared.http.routes import StrictRoute
from webhooks.config import WebhooksSettings
from webhooks.main import create_app as webhooks_app

APPS: dict[str, Callable[[], FastAPI]] = {
    "listing": lambda: listing_app(ListingSettings()),
    "license": lambda: license_app(LicenseSettings()),
    "pledge": lambda: pledge_app(PledgeSettings()),
    "registry-sync": lambda: registry_sync_app(RegistrySyncSettings()),
    "webhooks": lambda: webhooks_app(WebhooksSettings()),
    "matching": lambda: matching_app(MatchingSettings()),
    "statistics": lambda: statistics_app(StatisticsSettings()),
}
PROBLEM = "application/problem+json"
_PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


# The documentation pages (Swagger UI, its OAuth2 redirect, ReDoc) are not endpoints of
# the API: the redirect page takes whatever the identity provider appends.
DOCUMENTATION_PAGES = {"/docs", "/docs/oauth2-redirect", "/redoc"}


def endpoints() -> Iterator[tuple[str, FastAPI, str, str]]:
    for service, build in APPS.items():
        app = build()
        for context in iter_route_contexts(app.routes):
            if not isinstance(context.original_route, APIRoute):
                continue  # the OpenAPI document and the documentation's files
            if not isinstance(context.original_route, StrictRoute):
                assert context.path in DOCUMENTATION_PAGES, context.path
                continue
            assert context.path is not None
            assert context.methods
            for method in sorted(context.methods):
                yield service, app, method, context.path


ENDPOINTS = list(endpoints())


async def call(app: FastAPI, method: str, path: str, **params: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path, params=params)


def test_every_service_is_walked() -> None:
    assert {service for service, *_ in ENDPOINTS} == set(APPS)
    assert len(ENDPOINTS) > 60


@pytest.mark.parametrize(
    ("service", "app", "method", "path"),
    ENDPOINTS,
    ids=[f"{service}:{method} {path}" for service, _, method, path in ENDPOINTS],
)
async def test_an_unknown_query_parameter_is_refused_by_name(
    service: str, app: FastAPI, method: str, path: str
) -> None:
    url = _PARAMETER.sub("x", path)
    response = await call(app, method, url, application_numbr="201710601862.3")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"].endswith("/validation-error")
    assert problem["errors"] == [
        {
            "field": "query.application_numbr",
            "message": problem["errors"][0]["message"],
            "code": "extra_forbidden",
        }
    ]
    assert problem["errors"][0]["message"].startswith("unknown query parameter")


def _query_parameters(app: FastAPI, method: str, path: str) -> list[str]:
    operation = app.openapi()["paths"].get(path, {}).get(method.lower(), {})  # /metrics: none
    return [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]


NUL_ERROR = {"message": "the NUL character (U+0000) is not allowed", "code": "nul_character"}


def _only_error(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"].endswith("/validation-error")
    assert problem["errors"] == [{"field": field, **NUL_ERROR}]


WITH_PATH_PARAMETERS = [e for e in ENDPOINTS if _PARAMETER.search(e[3])]
WITH_QUERY_PARAMETERS = [e for e in ENDPOINTS if _query_parameters(e[1], e[2], e[3])]
WITH_BODIES = [e for e in ENDPOINTS if e[2] in ("POST", "PUT", "PATCH")]


@pytest.mark.parametrize(
    ("service", "app", "method", "path"),
    WITH_PATH_PARAMETERS,
    ids=[f"{s}:{m} {p}" for s, _, m, p in WITH_PATH_PARAMETERS],
)
async def test_a_nul_character_in_a_path_parameter_is_refused_by_name(
    service: str, app: FastAPI, method: str, path: str
) -> None:
    first = _PARAMETER.search(path)
    assert first is not None
    url = _PARAMETER.sub("x", path[: first.start()] + "a%00b" + path[first.end() :])
    _only_error(await call(app, method, url), f"path.{first.group(1)}")


@pytest.mark.parametrize(
    ("service", "app", "method", "path"),
    WITH_QUERY_PARAMETERS,
    ids=[f"{s}:{m} {p}" for s, _, m, p in WITH_QUERY_PARAMETERS],
)
async def test_a_nul_character_in_a_query_parameter_is_refused_by_name(
    service: str, app: FastAPI, method: str, path: str
) -> None:
    for name in _query_parameters(app, method, path):
        response = await call(app, method, _PARAMETER.sub("x", path), **{name: "a\x00b"})
        _only_error(response, f"query.{name}")


@pytest.mark.parametrize(
    ("service", "app", "method", "path"),
    WITH_BODIES,
    ids=[f"{s}:{m} {p}" for s, _, m, p in WITH_BODIES],
)
async def test_a_nul_character_anywhere_in_a_json_body_is_refused_by_name(
    service: str, app: FastAPI, method: str, path: str
) -> None:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.request(
            method,
            _PARAMETER.sub("x", path),
            json={"title": "专利名称", "notes": [{"text": "fine"}, {"text": "专利\x00名称"}]},
        )
    _only_error(response, "body.notes.1.text")


def test_the_walk_covers_paths_queries_and_bodies() -> None:
    assert len(WITH_PATH_PARAMETERS) > 30
    assert len(WITH_QUERY_PARAMETERS) > 10
    assert len(WITH_BODIES) > 30
