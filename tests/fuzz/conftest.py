"""The five services as real OS processes for the fuzzing stage, with the demo data set
loaded through their APIs."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from devstack import demo
from devstack.broker import TansuBroker
from devstack.ports import free_port
from devstack.processes import ServiceProcess
from devstack.services import SERVICES, ServiceDefinition, service_process
from tests.fuzz.findings import SESSION, Findings
from tests.fuzz.harness import FUZZ, POOL, role
from tests.support.stack import Stack

FINDINGS = pytest.StashKey[Findings]()
STARTED = pytest.StashKey[bool]()


def pytest_report_header() -> str:
    return f"fuzz: {FUZZ.describe()}"


def findings_of(request: pytest.FixtureRequest) -> Findings:
    """What one operation's test found (with FUZZ_KEEP_GOING). Kept on the test item, not
    in a fixture: hypothesis refuses function-scoped fixtures, which it cannot reset
    between examples."""
    findings: Findings = request.node.stash.setdefault(FINDINGS, Findings())
    return findings


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    findings = item.stash.get(FINDINGS, None)
    if findings:
        pytest.fail("\n\n".join(f.report() for f in findings), pytrace=False)
    return result


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if terminalreporter.config.stash.get(STARTED, False):
        # Also under -q, which hides the header: the seed replays the run.
        terminalreporter.write_line(f"fuzz: {FUZZ.describe()}")
    if SESSION:
        terminalreporter.section("fuzz: distinct failures (exception at our innermost frame)")
        terminalreporter.write_line(SESSION.summary())


def _process(
    stack: Stack, definition: ServiceDefinition, broker: TansuBroker, extra: dict[str, str]
) -> ServiceProcess:
    database = f"fuzz_{definition.database}_{uuid.uuid4().hex[:6]}"
    stack.postgres.create_database(database)
    return service_process(
        definition,
        database_url=stack.postgres.url(database),
        bootstrap=broker.bootstrap_servers,
        port=free_port(),
        log_dir=stack.root / "fuzz-logs",
        extra_env={"LOG_LEVEL": "WARNING", **extra},
        label=f"fuzz-{definition.name}",
    )


# Module scope: the processes stop when the fuzzing tests are done, not at the end of the
# session, and leave the rest of the suite the machine.
@pytest.fixture(scope="module")
def fuzz_services(stack: Stack, pytestconfig: pytest.Config) -> Iterator[dict[str, ServiceProcess]]:
    """The seven services by name, each on a fresh database, with seed data.

    Listing, license, pledge, registry-sync, matching and statistics share a broker of their
    own, so the events that fuzzed writes publish reach the other services as in production.
    Webhooks gets a
    broker on which nothing publishes: it then has no event to deliver and never sends a
    request to the endpoint URLs the fuzzer registers (arbitrary hosts). It keeps the
    production rules for those URLs (https, public addresses)."""
    pytestconfig.stash[STARTED] = True
    shared, alone = TansuBroker(), TansuBroker()
    processes: dict[str, ServiceProcess] = {}
    try:
        shared.start()
        alone.start()
        for definition in SERVICES:
            if definition.name == "webhooks":
                extra = {"LISTING_BASE_URL": processes["listing"].url}
                process = _process(stack, definition, alone, extra)
            else:
                process = _process(stack, definition, shared, {})
            process.start()
            processes[definition.name] = process
        for process in processes.values():
            process.wait_ready(timeout=120)
        seed({name: p.url for name, p in processes.items()})
        yield processes
    finally:
        for process in processes.values():
            process.stop(timeout=15)
        alone.stop()
        shared.stop()


def seed(urls: dict[str, str]) -> None:
    """The demo data set (patents, open-licence declarations, a licence taken and paid, a
    registered pledge), a connected platform with an endpoint, and their ids in the pool."""
    # In a thread of its own: the test session's event loop stays untouched.
    with ThreadPoolExecutor(1) as loader:
        loader.submit(asyncio.run, demo.load_demo_data(urls)).result()
    operator, exchange = role("operator"), role("exchange")
    with httpx.Client(timeout=30) as client:
        platform = _ok(
            client.post(
                f"{urls['webhooks']}/v1/platforms",
                headers=operator.headers,
                json={"org_id": exchange.org_id, "name": "fuzz exchange"},
            )
        )
        _ok(
            client.post(
                f"{urls['webhooks']}/v1/platforms/{platform['id']}/endpoints",
                headers=exchange.headers,
                # A name, not an address: nothing resolves it, as webhooks has no event
                # to deliver (see fuzz_services).
                json={"url": "https://webhooks.fuzz.example/ipmarket"},
            )
        )
        for service, path in (
            ("listing", "/v1/patents"),
            ("listing", "/v1/declarations"),
            ("license", "/v1/licenses"),
            ("pledge", "/v1/pledges"),
            ("webhooks", "/v1/platforms"),
            ("webhooks", "/v1/endpoints"),
        ):
            POOL.harvest(path, _ok(client.get(f"{urls[service]}{path}", headers=operator.headers)))
        for licence in POOL.ids.get("license_id", []):
            royalties = client.get(
                f"{urls['license']}/v1/licenses/{licence}/royalties", headers=operator.headers
            )
            if royalties.status_code == 200:
                for period in _items(royalties.json()):
                    POOL.add("period_id", period.get("id"))
        registrations = _eventually(
            lambda: _items(
                _ok(
                    client.get(
                        f"{urls['registry-sync']}/v1/tech-contract-registrations",
                        headers=operator.headers,
                    )
                )
            )
        )
        for registration in registrations:
            POOL.add("registration_id", registration.get("id"))
    POOL.add("bank_org_id", demo.BANK.org_id)


def _ok(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise RuntimeError(
            f"fuzz seed: {response.request.method} {response.request.url} -> "
            f"{response.status_code} {response.text[:500]}"
        )
    return response.json()


def _items(page: Any) -> list[dict[str, Any]]:
    if isinstance(page, dict) and isinstance(page.get("items"), list):
        return [i for i in page["items"] if isinstance(i, dict)]
    if isinstance(page, list):
        return [i for i in page if isinstance(i, dict)]
    return []


def _eventually(fetch: Any, timeout: float = 20) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        found: list[dict[str, Any]] = fetch()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)
