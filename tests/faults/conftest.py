"""The fault campaign: each scenario runs every service as a real OS process on a broker
of its own and fresh databases, breaks something, and reports its row of figures.

The scenarios take minutes, so they run only when asked for (``make faults``, that is
``pytest -m faults``); ``make test`` and ``make unit`` leave them out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.broker import TansuBroker
from tests.e2e.conftest import System, start_processes, stop_processes
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
def system(stack: Stack) -> Iterator[System]:
    """Every service and office simulator as a process, on a broker of its own (a scenario
    stalls or poisons it) and databases of their own (the invariants read them whole)."""
    broker = TansuBroker()
    broker.start()
    running = System(stack, broker, {}, {})
    try:
        # A stalled broker must not hold up a stop at the end of a scenario.
        start_processes(running, "faults", {"SHUTDOWN_TIMEOUT_S": "2"})
        yield running
    finally:
        broker.resume()
        stop_processes(running)
        broker.stop()
