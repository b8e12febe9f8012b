"""registry-sync's app and its office for this package's tests, stopped when they end: its
workers poll the office every fraction of a second, which the rest of the suite should not
pay for. The package has a broker of its own: its tests publish the events they need, and
each app they start (a consumer group of its own, reading from the beginning) would
otherwise first read every patent and licence the rest of the suite published."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from devstack.broker import TansuBroker
from devstack.ports import free_port
from devstack.processes import ServiceProcess
from devstack.services import SIMULATORS, simulator_process
from registry_sync.config import RegistrySyncSettings
from registry_sync.main import create_app
from tests.support.stack import Stack, running_app

TECH_OFFICE = next(s for s in SIMULATORS if s.name == "tech-contract-office")


@pytest.fixture(scope="package")
def stack(stack: Stack) -> Iterator[Stack]:
    """The session's PostgreSQL with a broker of the package's own."""
    broker = TansuBroker()
    broker.start()
    try:
        yield dataclasses.replace(stack, broker=broker)
    finally:
        broker.stop()


@pytest.fixture(scope="package")
def tech_office(stack: Stack) -> Iterator[ServiceProcess]:
    """The technology-contract registration office simulator, deciding a contract on the
    day it arrives (0 working days); a timeout hangs longer than the adapter waits."""
    logs = stack.root / "logs"
    logs.mkdir(exist_ok=True)
    process = simulator_process(
        TECH_OFFICE,
        port=free_port(),
        log_dir=logs,
        extra_env={"SIM_TECH_REGISTRATION_WORKING_DAYS": "0", "SIM_TIMEOUT_HANG_S": "3"},
        label="tech-contract-office-registry-sync",
    )
    process.start()
    try:
        process.wait_ready(timeout=60)
        yield process
    finally:
        process.stop(timeout=10)


@pytest.fixture(scope="package")
def registry_settings(stack: Stack, tech_office: ServiceProcess) -> RegistrySyncSettings:
    return stack.settings(
        RegistrySyncSettings,
        tech_contract_office_url=tech_office.url,
        # No patent office: the recordal tests run apps of their own with offices they steer,
        # and two apps filing the same licences would publish each outcome twice. Port 9
        # refuses (nothing listens, and no test server is given a port that low), so this
        # app's recordals wait, and never reach a patent office of a `make run` on the
        # machine.
        patent_office_url="http://127.0.0.1:9",
        tech_office_read_timeout_s=1.0,
        tech_office_retries=1,
        tech_office_retry_backoff_s=0.05,
        tech_office_circuit_failures=4,
        tech_office_circuit_cooldown_s=0.3,
        registration_submit_interval_s=0.2,
        registration_poll_interval_s=0.2,
        registration_retry_base_s=0.2,
        registration_lease_s=10,
    )


@pytest.fixture(scope="package")
async def registry_client(
    registry_settings: RegistrySyncSettings,
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(registry_settings)) as client:
        yield client
