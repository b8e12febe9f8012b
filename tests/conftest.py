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
