"""The fault campaign: each scenario runs every service as a real OS process on a broker
of its own and fresh databases, breaks something, and reports its row of figures.

The scenarios take minutes, so they run only when asked for (``make faults``, that is
``pytest -m faults``); ``make test`` and ``make unit`` leave them out.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from devstack.broker import TansuBroker
from devstack.ports import free_port
from devstack.processes import ServiceProcess
from devstack.services import SERVICES, SIMULATORS, simulator_process
from tests.e2e.conftest import System, _process
from tests.faults import figures
from tests.support.stack import Stack

FAULTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave the scenarios out unless the marker expression names them."""
    if "faults" in (config.option.markexpr or ""):
        return
    kept, left_out = [], []
    for item in items:
        (left_out if FAULTS in Path(item.path).parents else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if figures.ROWS:
        terminalreporter.section("fault campaign")
        terminalreporter.write_line(figures.table())


@pytest.fixture
async def system(stack: Stack) -> AsyncIterator[System]:
    """Every service and office simulator as a process, on a broker of its own (a scenario
    stalls or poisons it) and databases of their own (the invariants read them whole)."""
    suffix = uuid.uuid4().hex[:6]
    broker = TansuBroker()
    broker.start()
    running = System(stack, broker, {}, {})
    logs = stack.root / f"logs-faults-{suffix}"
    try:
        for simulator in SIMULATORS:
            clock = stack.root / f"clock-{simulator.name}-{suffix}.json"
            running.simulator_clocks[simulator.name] = clock
            process = simulator_process(
                simulator, port=free_port(), log_dir=logs, extra_env={"SIM_CLOCK_FILE": str(clock)}
            )
            process.start()
            running.simulators[simulator.name] = process
        for definition in SERVICES:
            database = f"faults_{definition.database}_{suffix}"
            stack.postgres.create_database(database)
            running.databases[definition.name] = database
            urls = {n: p.url for n, p in {**running.simulators, **running.processes}.items()}
            process = _process(stack, broker, definition, database, definition.name, urls)
            # A stalled broker must not hold up a stop at the end of a scenario.
            process.env[f"{definition.prefix}SHUTDOWN_TIMEOUT_S"] = "2"
            process.start()
            running.processes[definition.name] = process
        for process in [*running.simulators.values(), *running.processes.values()]:
            process.wait_ready(timeout=120)
        yield running
    finally:
        broker.resume()
        everything: list[ServiceProcess] = [
            *running.extra,
            *running.processes.values(),
            *running.simulators.values(),
        ]
        with ThreadPoolExecutor(max(1, len(everything))) as pool:
            list(pool.map(lambda p: p.stop(timeout=15), everything))
        broker.stop()
