"""Fuzzing stage: schemathesis sends every operation of every service, as every role (an
organisation of each type, and nobody), to the service running as a real process on the
real database and broker; any 5xx fails the test with the request as a curl command, the
role, and what the service logged.

Each generated case goes out once per role: the roles see the same inputs, and a case is
generated once for all of them.

Two checks judge each response. ``not_a_server_error``: no 5xx. And
``response_schema_conformance``: a response with a documented status and media type
matches its documented schema (ran clean over the thorough pass; it guards the routes
that write their own bytes, such as listing's search, against drifting from their
documents; error bodies are application/problem+json, documented by no operation, so
it leaves them alone). Schemathesis' other default checks are left out: they fail on
what is not a defect here, such as coercions pydantic accepts on purpose (an integer
given as "5") or status codes an operation does not list (404 and 403 everywhere)."""

from __future__ import annotations

from typing import Any

import pytest
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from devstack.processes import ServiceProcess
from tests.fuzz.conftest import findings_of
from tests.fuzz.findings import SESSION, Findings, finding, log_size, logged_since
from tests.fuzz.harness import FUZZ, POOL, ROLES, load_schema

pytestmark = pytest.mark.fuzz

CHECKS = [not_a_server_error, response_schema_conformance]


def send_as_every_role(case: Case[Any], process: ServiceProcess, findings: Findings) -> None:
    for role in ROLES:
        offset = log_size(process)
        response = case.call(base_url=process.url, headers=role.headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=role.headers)
        except FailureGroup as exc:
            found = finding(
                case.operation.label,
                process,
                role.name,
                exc.exceptions[0].title,
                response.status_code,
                case.as_curl_command(headers=role.headers, base_url=process.url),
                logged_since(process, offset) if response.status_code >= 500 else "",
            )
            SESSION.add(found)
            if FUZZ.keep_going:  # the test fails when hypothesis is done (conftest)
                findings.add(found)
                continue
            # The same failures, their message told who called and what the service logged.
            message = f"{exc.message}\n\nRole: {role.name}"
            if found.traceback:
                message += f"\n\n{process.name} logged:\n\n{found.traceback}"
            raise FailureGroup(list(exc.exceptions), message) from None
        if response.status_code < 300 and "json" in response.headers.get("content-type", [""])[0]:
            POOL.harvest(case.operation.path, response.json())


listing = load_schema("listing")
license_ = load_schema("license")
pledge = load_schema("pledge")
registry_sync = load_schema("registry_sync")
webhooks = load_schema("webhooks")
matching = load_schema("matching")
statistics = load_schema("ip_statistics")


@listing.parametrize()
def test_listing(
    case: Case[Any], fuzz_services: dict[str, ServiceProcess], request: pytest.FixtureRequest
) -> None:
    send_as_every_role(case, fuzz_services["listing"], findings_of(request))


@license_.parametrize()
def test_license(
    case: Case[Any], fuzz_services: dict[str, ServiceProcess], request: pytest.FixtureRequest
) -> None:
    send_as_every_role(case, fuzz_services["license"], findings_of(request))


@pledge.parametrize()
def test_pledge(
    case: Case[Any], fuzz_services: dict[str, ServiceProcess], request: pytest.FixtureRequest
) -> None:
    send_as_every_role(case, fuzz_services["pledge"], findings_of(request))


@registry_sync.parametrize()
def test_registry_sync(
    case: Case[Any], fuzz_services: dict[str, ServiceProcess], request: pytest.FixtureRequest
) -> None:
    send_as_every_role(case, fuzz_services["registry-sync"], findings_of(request))


@webhooks.parametrize()
def test_webhooks(
    case: Case[Any], fuzz_services: dict[str, ServiceProcess], request: pytest.FixtureRequest
) -> None:
    send_as_every_role(case, fuzz_services["webhooks"], findings_of(request))


@matching.parametrize()
def test_matching(
    case: Case[Any], fuzz_services: dict[str, ServiceProcess], request: pytest.FixtureRequest
) -> None:
    send_as_every_role(case, fuzz_services["matching"], findings_of(request))


@statistics.parametrize()
def test_statistics(
    case: Case[Any], fuzz_services: dict[str, ServiceProcess], request: pytest.FixtureRequest
) -> None:
    send_as_every_role(case, fuzz_services["statistics"], findings_of(request))
