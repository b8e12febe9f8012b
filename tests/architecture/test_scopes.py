"""Every business endpoint of every service checks the token's scopes, by real requests to
each service's app on the real stack: a token without ``ipmarket:write`` changes nothing,
a token without ``ipmarket:read`` reads nothing.

The routes are those the app documents in OpenAPI under ``/v1``; a route that takes no
bearer token must be listed in ``SIGNED`` (it authenticates its caller otherwise)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ip_statistics.config import StatisticsSettings
from ip_statistics.main import create_app as create_statistics
from license.config import LicenseSettings
from license.main import create_app as create_license
from listing.config import ListingSettings
from listing.main import create_app as create_listing
from matching.config import MatchingSettings
from matching.main import create_app as create_matching
from pledge.config import PledgeSettings
from pledge.main import create_app as create_pledge
from registry_sync.config import RegistrySyncSettings
from registry_sync.main import create_app as create_registry_sync
from shared.auth import OrgType, Scope
from shared.settings import ServiceSettings
from tests.support.stack import Stack, org, running_app
from webhooks.config import WebhooksSettings
from webhooks.main import create_app as create_webhooks

SERVICES: dict[str, tuple[type[ServiceSettings], Callable[[Any], FastAPI]]] = {
    "listing": (ListingSettings, create_listing),
    "license": (LicenseSettings, create_license),
    "pledge": (PledgeSettings, create_pledge),
    "registry_sync": (RegistrySyncSettings, create_registry_sync),
    "webhooks": (WebhooksSettings, create_webhooks),
    "matching": (MatchingSettings, create_matching),
    "statistics": (StatisticsSettings, create_statistics),
}

# Business endpoints that take no bearer token: the caller proves who it is otherwise.
SIGNED = {
    # A platform's inbound webhook, signed with its inbound secret (docs/webhooks.md).
    ("webhooks", "POST", "/v1/inbound/{platform_id}"),
}

ORGS = [org(org_type, f"scope-check-{org_type.value}") for org_type in OrgType]
# A plausible value for every path parameter: the scope is checked before any lookup.
PATH_PARAMETER = re.compile(r"\{([^}]+)\}")
SAMPLE = "201710601862.3"


def operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    document = app.openapi()
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        if path.startswith("/v1/")
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


async def answers(
    client: httpx.AsyncClient, settings: ServiceSettings, method: str, path: str, scope: Scope
) -> list[httpx.Response]:
    """The answer to a token of every organisation type carrying only ``scope``."""
    url = PATH_PARAMETER.sub(SAMPLE, path)
    body = None if method == "GET" else {}
    return [
        await client.request(method, url, json=body, headers=o.headers(settings, [scope.value]))
        for o in ORGS
    ]


def lacks(reply: httpx.Response, *scopes: Scope) -> bool:
    return reply.status_code == 403 and any(
        reply.json().get("detail") == f"token lacks the scope {s.value}" for s in scopes
    )


@pytest.mark.parametrize("service", SERVICES)
async def test_every_business_endpoint_checks_the_tokens_scopes(stack: Stack, service: str) -> None:
    settings_class, create_app = SERVICES[service]
    settings = stack.settings(settings_class)
    app = create_app(settings)
    signed = {(m, p) for s, m, p in SIGNED if s == service}
    found_signed = set()
    unchecked: list[str] = []
    async with running_app(app) as client:
        for method, path, operation in operations(app):
            if not operation.get("security"):
                assert (method, path) in signed, f"{method} {path} takes no bearer token"
                found_signed.add((method, path))
                continue
            if method == "GET":
                # Reading needs ipmarket:read, whatever the organisation type.
                replies = await answers(client, settings, method, path, Scope.WRITE)
                if not all(lacks(r, Scope.READ) for r in replies):
                    unchecked.append(f"{method} {path}: {[r.status_code for r in replies]}")
                continue
            # A read-only token changes nothing: every organisation type is refused, and
            # those the endpoint admits are refused for the scope.
            replies = await answers(client, settings, method, path, Scope.READ)
            refused = all(r.status_code == 403 for r in replies)
            if not refused or not any(lacks(r, Scope.WRITE, Scope.OPERATE) for r in replies):
                unchecked.append(f"{method} {path}: {[r.status_code for r in replies]}")
        admitted, checked = await regulator_writes(client, settings, service, app)
    assert found_signed == signed
    assert not unchecked, "endpoints that do not check the token's scope:\n" + "\n".join(unchecked)
    # The regulator's token carries ipmarket:write for credit supervision; every other
    # change refuses the regulator by organisation type (403), as it did when its token
    # could only read.
    if service in READ_ONLY_APIS:
        assert not checked, f"{service} has changes now: remove it from READ_ONLY_APIS"
    else:
        assert checked, f"{service} has no change to refuse"
    assert not admitted, "changes a regulator may make besides credit supervision:\n" + "\n".join(
        admitted
    )


# The only changes a regulator makes: credit supervision's records, candidates and
# objections' decisions, and the evidence documents they cite (license).
REGULATOR_WRITES = {
    ("license", "POST", "/v1/documents"),
    ("license", "POST", "/v1/credit-records"),
    ("license", "POST", "/v1/credit-records/{record_id}/confirmation"),
    ("license", "POST", "/v1/credit-records/{record_id}/dismissal"),
    ("license", "POST", "/v1/credit-records/{record_id}/revocation"),
    # The party's objection: open to every writer, refused to all but the party named.
    ("license", "POST", "/v1/credit-records/{record_id}/objections"),
    ("license", "POST", "/v1/credit-records/{record_id}/objections/{objection_id}/decision"),
}


# Services whose API changes nothing a token may ask for.
READ_ONLY_APIS: set[str] = set()


async def regulator_writes(
    client: httpx.AsyncClient, settings: ServiceSettings, service: str, app: FastAPI
) -> tuple[list[str], int]:
    """The changes a regulator's full token is admitted to besides credit supervision, and
    how many changes were tried. A POST that admits a read-only token (a query) is not a
    change."""
    regulator = next(o for o in ORGS if o.org_type is OrgType.REGULATOR)
    admitted: list[str] = []
    checked = 0
    for method, path, operation in operations(app):
        if method == "GET" or not operation.get("security"):
            continue
        if (service, method, path) in REGULATOR_WRITES:
            continue
        url = PATH_PARAMETER.sub(SAMPLE, path)
        reading = await client.request(
            method, url, json={}, headers=regulator.headers(settings, [Scope.READ.value])
        )
        if reading.status_code != 403:
            continue  # a query a reader may send
        writing = await client.request(method, url, json={}, headers=regulator.headers(settings))
        checked += 1
        if writing.status_code != 403 or lacks(writing, Scope.WRITE):
            admitted.append(f"{method} {path}: {writing.status_code}")
    return admitted, checked
