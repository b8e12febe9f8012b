"""Run one of our services as a real OS process, and the child-process plumbing it shares with
the broker."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import httpx

_PR_SET_PDEATHSIG = 1

# Loaded once in the parent: a preexec_fn runs between fork and exec, where loading a library
# is not safe if other threads held the loader's locks at fork time.
_libc: ctypes.CDLL | None = None
if sys.platform.startswith("linux"):
    try:
        _libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # a libc without dlopen(NULL) support: children just don't follow us
        _libc = None


def die_with_parent() -> Callable[[], None]:
    """Return a ``preexec_fn`` that makes the child receive SIGKILL when its parent dies.

    Linux only (PR_SET_PDEATHSIG); elsewhere the returned function does nothing and the atexit
    handlers are the only safety net. The signal fires when the *thread* that started the
    child exits, so start children from a long-lived thread (the main thread, or the event
    loop's), not from a short-lived worker. A change of user id (``runuser``) clears the
    setting, so it does not protect processes started under another user.
    """
    parent = os.getpid()
    libc = _libc

    def preexec() -> None:
        if libc is None:
            return
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        # The parent may have died between fork() and prctl(): then nobody would signal us.
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Send ``signum`` to the process group led by ``process`` (started with a new session).

    The group catches any helpers the process spawned; a vanished process is not an error.
    """
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signum)


def terminate(process: subprocess.Popen[bytes], timeout: float) -> int | None:
    """SIGTERM the process group, wait up to ``timeout`` seconds, then SIGKILL it.

    Returns the exit code (None only if even SIGKILL did not reap it within 5 s).
    """
    if process.poll() is not None:
        return process.returncode
    signal_group(process, signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        signal_group(process, signal.SIGKILL)
    try:
        return process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return None


def tail(path: Path, lines: int = 40) -> str:
    """The last ``lines`` lines of a log file (empty if it does not exist)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 64 * 1024))
            data = handle.read()
    except OSError:
        return ""
    return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])


class ServiceStartError(RuntimeError):
    """A service process exited or did not become ready in time."""


def listens_on(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds a listening TCP socket on ``port``.

    Read from /proc (Linux); where it cannot be read, assumed true.
    """
    inodes: set[str] = set()
    readable = False
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        readable = True
        for row in rows:
            fields = row.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(f"socket:[{inode}]")
    if not readable:
        return True
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return True
    for descriptor in descriptors:
        with contextlib.suppress(OSError):
            if os.readlink(descriptor) in inodes:
                return True
    return False


class ServiceProcess:
    """One service run as ``python -m <module>`` with its own environment and log file.

    The child runs in its own session, so a Ctrl-C in the terminal reaches only the parent,
    which then stops the services in order, and it is killed if the parent dies.
    """

    def __init__(self, name: str, module: str, env: dict[str, str], port: int, log_path: Path):
        """Describe the process; nothing runs until :meth:`start`.

        Args:
            name: a label for messages.
            module: the module run with ``python -m``.
            env: variables added to (and overriding) this process's environment.
            port: the HTTP port the service listens on (the env must tell it so).
            log_path: file receiving the child's stdout and stderr (appended to).
        """
        self.name = name
        self.module = module
        self.env = dict(env)
        self.port = port
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL of the service, e.g. ``http://127.0.0.1:8001``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """OS process id of the running child, if started."""
        return self._process.pid if self._process is not None else None

    @property
    def returncode(self) -> int | None:
        """Exit code once the child has exited (negative: killed by that signal)."""
        return self._process.poll() if self._process is not None else None

    def is_running(self) -> bool:
        """True while the child process exists and has not exited."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the child. Calling it again after the child exited starts a new one."""
        if self.is_running():
            raise RuntimeError(f"{self.name} is already running (pid {self.pid})")
        self._close_log()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        # Append, so that a restart in a crash test keeps the first run's log for diagnosis.
        self._log = self.log_path.open("ab")
        self._log.write(f"\n=== {time.strftime('%H:%M:%S')} starting {self.name} ===\n".encode())
        self._log.flush()
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        self._process = subprocess.Popen(
            [sys.executable, "-m", self.module],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )

    def wait_ready(self, timeout: float = 60) -> None:
        """Poll ``GET /health/ready`` until it answers 200.

        Raises:
            ServiceStartError: the process exited, or was not ready within ``timeout`` seconds;
                the message carries the tail of its log.
        """
        if self._process is None:
            raise RuntimeError(f"{self.name} was not started")
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        with httpx.Client(timeout=2.0) as client:
            while True:
                code = self._process.poll()
                if code is not None:
                    raise ServiceStartError(
                        f"{self.name} exited with code {code} before it was ready; "
                        f"log {self.log_path}:\n{tail(self.log_path)}"
                    )
                try:
                    response = client.get(f"{self.url}/health/ready")
                    if response.status_code == 200 and listens_on(self._process.pid, self.port):
                        return
                    if response.status_code == 200:
                        # Another program took the port between choosing it and our bind:
                        # its answer is not ours. Ours fails to bind and exits (above).
                        last = f"port {self.port} is answered by another process"
                    else:
                        last = f"HTTP {response.status_code}: {response.text[:200]}"
                except httpx.HTTPError as exc:
                    last = f"{type(exc).__name__}: {exc}"
                if time.monotonic() >= deadline:
                    raise ServiceStartError(
                        f"{self.name} not ready within {timeout:g}s ({last}); "
                        f"log {self.log_path}:\n{tail(self.log_path)}"
                    )
                time.sleep(0.1)

    def stop(self, timeout: float = 10) -> int | None:
        """SIGTERM, wait up to ``timeout`` seconds for a graceful exit, then SIGKILL.

        Idempotent; returns the exit code (None if never started).
        """
        if self._process is None:
            return None
        code = terminate(self._process, timeout)
        self._close_log()
        return code

    def kill(self) -> None:
        """SIGKILL the process at once (crash tests): no shutdown hooks run."""
        if self._process is None:
            return
        signal_group(self._process, signal.SIGKILL)
        self._process.wait(timeout=10)
        self._close_log()

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the service's log."""
        return tail(self.log_path, lines)

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> ServiceProcess:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.is_running() else "stopped"
        return f"ServiceProcess({self.name!r}, module={self.module!r}, port={self.port}, {state})"
