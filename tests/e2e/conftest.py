"""The five services as real OS processes on the session's Postgres and broker."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from devstack.ports import free_port
from devstack.processes import ServiceProcess
from devstack.services import SERVICES, service_process
from tests.support.stack import Stack


@pytest.fixture(scope="session")
def system(stack: Stack) -> Iterator[dict[str, ServiceProcess]]:
    suffix = uuid.uuid4().hex[:6]
    logs = stack.root / "logs"
    logs.mkdir(exist_ok=True)
    processes: dict[str, ServiceProcess] = {}
    try:
        for definition in SERVICES:
            database = f"e2e_{definition.database}_{suffix}"
            stack.postgres.create_database(database)
            process = service_process(
                definition,
                database_url=stack.postgres.url(database),
                bootstrap=stack.broker.bootstrap_servers,
                port=free_port(),
                log_dir=logs,
                extra_env={f"{definition.prefix}LOG_LEVEL": "WARNING"},
            )
            process.start()
            processes[definition.name] = process
        for process in processes.values():
            process.wait_ready(timeout=90)
        yield processes
    finally:
        for process in processes.values():
            process.stop(timeout=15)
