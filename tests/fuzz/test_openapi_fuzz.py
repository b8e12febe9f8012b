"""Fuzzing stage: schemathesis sends every operation of every service, as every role (an
organisation of each type, and nobody), to the service running as a real process on the
real database and broker; any 5xx fails the test with the request as a curl command, the
role, and what the service logged.

Each generated case goes out once per role: the roles see the same inputs, and a case is
generated once for all of them."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from schemathesis import Case
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from devstack.processes import ServiceProcess
from tests.fuzz.harness import POOL, ROLES, load_schema

pytestmark = pytest.mark.fuzz


def send_as_every_role(case: Case[Any], process: ServiceProcess) -> None:
    for role in ROLES:
        offset = _log_size(process)
        try:
            response = case.call_and_validate(
                base_url=process.url, headers=role.headers, checks=[not_a_server_error]
            )
        except FailureGroup as exc:
            # The same failures, their message told who called and what the service logged.
            logged = _log_since(process, offset)
            message = f"{exc.message}\n\nRole: {role.name}"
            if logged:
                message += f"\n\n{process.name} logged:\n\n{logged}"
            raise FailureGroup(list(exc.exceptions), message) from None
        if response.status_code < 300 and "json" in response.headers.get("content-type", [""])[0]:
            POOL.harvest(case.operation.path, response.json())


def _log_size(process: ServiceProcess) -> int:
    try:
        return os.path.getsize(process.log_path)
    except OSError:
        return 0


def _log_since(process: ServiceProcess, offset: int) -> str:
    """The first traceback the service logged since ``offset``, without the frames of
    installed packages (the service logs JSON lines; a plain line is taken as it is)."""
    try:
        with process.log_path.open("rb") as handle:
            handle.seek(offset)
            lines = handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    plain = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            plain.append(line)
            continue
        if isinstance(record, dict) and record.get("exc"):
            return _own_frames(str(record["exc"]))
    return "\n".join(plain[-40:])


def _own_frames(traceback: str) -> str:
    kept: list[str] = []
    skipping = False
    for line in traceback.splitlines():
        if line.startswith('  File "'):
            skipping = "site-packages" in line
        elif not line.startswith(" "):
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


listing = load_schema("listing")
license_ = load_schema("license")
pledge = load_schema("pledge")
registry_sync = load_schema("registry_sync")
webhooks = load_schema("webhooks")


@listing.parametrize()
def test_listing(case: Case[Any], fuzz_services: dict[str, ServiceProcess]) -> None:
    send_as_every_role(case, fuzz_services["listing"])


@license_.parametrize()
def test_license(case: Case[Any], fuzz_services: dict[str, ServiceProcess]) -> None:
    send_as_every_role(case, fuzz_services["license"])


@pledge.parametrize()
def test_pledge(case: Case[Any], fuzz_services: dict[str, ServiceProcess]) -> None:
    send_as_every_role(case, fuzz_services["pledge"])


@registry_sync.parametrize()
def test_registry_sync(case: Case[Any], fuzz_services: dict[str, ServiceProcess]) -> None:
    send_as_every_role(case, fuzz_services["registry-sync"])


@webhooks.parametrize()
def test_webhooks(case: Case[Any], fuzz_services: dict[str, ServiceProcess]) -> None:
    send_as_every_role(case, fuzz_services["webhooks"])
