"""Session-wide real infrastructure: one PostgreSQL server and one Tansu broker, started
once per test session as plain processes and stopped after it."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.broker import TansuBroker
from devstack.postgres import PostgresServer
from tests.support.stack import Stack

TESTS = Path(__file__).resolve().parent
# Folders whose tests start PostgreSQL, the broker or service processes themselves.
_STARTS_PROCESSES = frozenset({"devstack", "e2e", "faults", "fuzz"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``unit`` every test that needs no infrastructure: outside the folders above,
    and not asking (directly or through its fixtures) for the session's ``stack``.
    ``make unit`` runs those alone, in seconds."""
    for item in items:
        folder = Path(item.path).relative_to(TESTS).parts[0]
        fixtures = getattr(item, "fixturenames", ())
        if folder not in _STARTS_PROCESSES and "stack" not in fixtures:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    root = Path(tempfile.mkdtemp(prefix="ipmarket-test-"))
    os.chmod(root, 0o755)  # PostgreSQL runs as an unprivileged user when we are root
    postgres = PostgresServer(root / "postgres")
    broker = TansuBroker()
    postgres.start()
    broker.start()
    try:
        yield Stack(postgres=postgres, broker=broker, root=root)
    finally:
        broker.stop()
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)
