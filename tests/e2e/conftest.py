"""The services as real OS processes on the session's Postgres and broker, with the office
simulators they call."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from devstack.broker import TansuBroker
from devstack.ports import free_port
from devstack.processes import ServiceProcess
from devstack.services import (
    SERVICES,
    SIMULATORS,
    ServiceDefinition,
    local_settings,
    service_process,
    simulator_process,
)
from tests.support.stack import Stack


@dataclass
class System:
    """The running services, and how to start more instances of one of them."""

    stack: Stack
    broker: TansuBroker
    databases: dict[str, str]
    processes: dict[str, ServiceProcess]
    simulators: dict[str, ServiceProcess] = field(default_factory=dict)
    extra: list[ServiceProcess] = field(default_factory=list)
    # Each simulator's controllable clock (``shared.clock.move_clock``): a test moves an
    # office's working days without touching the services' time.
    simulator_clocks: dict[str, Path] = field(default_factory=dict)

    def url(self, name: str) -> str:
        return {**self.simulators, **self.processes}[name].url

    def start_instance(self, name: str) -> ServiceProcess:
        """Another instance of a service on the same database and consumer group."""
        definition = _definition(name)
        label = f"{name}-{len(self.extra) + 2}"
        urls = {n: p.url for n, p in {**self.simulators, **self.processes}.items()}
        process = _process(self.stack, self.broker, definition, self.databases[name], label, urls)
        process.start()
        self.extra.append(process)
        process.wait_ready(timeout=90)
        return process


# Settings the e2e processes run with besides the local ones: registry-sync's workers
# submit and poll often, so a registration moves within a test's patience.
E2E_SETTINGS = {
    "registry-sync": {
        "REGISTRATION_SUBMIT_INTERVAL_S": "0.5",
        "REGISTRATION_POLL_INTERVAL_S": "0.5",
        "REGISTRATION_RETRY_BASE_S": "0.5",
    },
}


def _definition(name: str) -> ServiceDefinition:
    return next(d for d in SERVICES if d.name == name)


def _process(
    stack: Stack,
    broker: TansuBroker,
    definition: ServiceDefinition,
    database: str,
    label: str,
    urls: dict[str, str],
) -> ServiceProcess:
    logs = stack.root / "logs"
    logs.mkdir(exist_ok=True)
    process = service_process(
        definition,
        database_url=stack.postgres.url(database),
        bootstrap=broker.bootstrap_servers,
        port=free_port(),
        log_dir=logs,
        extra_env={
            "LOG_LEVEL": "WARNING",
            **local_settings(definition, urls),
            **E2E_SETTINGS.get(definition.name, {}),
        },
        label=label,
    )
    return process


def start_processes(
    running: System, prefix: str, service_env: dict[str, str] | None = None
) -> None:
    """Start the office simulators and every service of ``running`` on fresh databases
    named ``<prefix>_<database>_<suffix>``, and wait until all are ready. ``service_env``
    (unprefixed settings, ``SHUTDOWN_TIMEOUT_S``) goes to every service. On failure the
    caller stops what was started (:func:`stop_processes`)."""
    stack, broker = running.stack, running.broker
    suffix = uuid.uuid4().hex[:6]
    logs = stack.root / "logs"
    logs.mkdir(exist_ok=True)
    for simulator in SIMULATORS:
        clock = stack.root / f"clock-{simulator.name}-{suffix}.json"
        running.simulator_clocks[simulator.name] = clock
        process = simulator_process(
            simulator, port=free_port(), log_dir=logs, extra_env={"SIM_CLOCK_FILE": str(clock)}
        )
        process.start()
        running.simulators[simulator.name] = process
    for definition in SERVICES:
        database = f"{prefix}_{definition.database}_{suffix}"
        stack.postgres.create_database(database)
        running.databases[definition.name] = database
        urls = {n: p.url for n, p in {**running.simulators, **running.processes}.items()}
        process = _process(stack, broker, definition, database, definition.name, urls)
        process.env.update({f"{definition.prefix}{k}": v for k, v in (service_env or {}).items()})
        process.start()
        running.processes[definition.name] = process
    for process in [*running.simulators.values(), *running.processes.values()]:
        process.wait_ready(timeout=90)


def stop_processes(running: System) -> None:
    for process in [*running.extra, *running.processes.values(), *running.simulators.values()]:
        process.stop(timeout=15)


# The package's: the processes (and any extra instance a test started) stop when the
# end-to-end tests end, rather than polling their broker for the rest of the suite.
@pytest.fixture(scope="package")
def system(stack: Stack) -> Iterator[System]:
    # A broker of their own: the deployed services must not react to the events of the
    # in-process apps of other tests (two registry-syncs would both register a licence).
    broker = TansuBroker()
    broker.start()
    running = System(stack, broker, {}, {})
    try:
        start_processes(running, "e2e")
        yield running
    finally:
        stop_processes(running)
        broker.stop()
