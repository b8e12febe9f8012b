"""Loopback TCP port helpers."""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Callable
from pathlib import Path

# The kernel hands ports of this range to outgoing connections (the broker's and the
# databases' clients of every process): one of them may take a port found free before the
# server that was given it binds it, which happened while a slow service started. Servers
# get ports below the range instead.
_EPHEMERAL_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_SERVER_PORTS_FLOOR = 10000
_handed_out: set[int] = set()


def _server_ports() -> range | None:
    """The ports below the ephemeral range, when the system says where it starts."""
    try:
        first = int(_EPHEMERAL_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return range(_SERVER_PORTS_FLOOR, first) if first - _SERVER_PORTS_FLOOR >= 1000 else None


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago, for a server to bind.

    The port is released before returning, so another process may take it before the caller
    binds it; it is chosen below the range of ports the kernel gives outgoing connections
    (where the system says where that range starts), so only another server can, and never
    one this process was given before.
    """
    ports = _server_ports()
    if ports is not None:
        for _ in range(200):
            port = random.choice(ports)
            if port not in _handed_out and _bindable(port):
                _handed_out.add(port)
                return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    _handed_out.add(port)
    return port


def wait_for_port(
    host: str,
    port: int,
    timeout: float,
    *,
    alive: Callable[[], bool] | None = None,
) -> None:
    """Block until ``host:port`` accepts a TCP connection.

    ``alive``, when given, is polled between attempts so that a server process that died during
    start-up fails fast instead of after the whole timeout.

    Raises:
        TimeoutError: nothing accepted a connection within ``timeout`` seconds.
        RuntimeError: ``alive`` returned False.
    """
    deadline = time.monotonic() + timeout
    last_error: OSError | None = None
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError as exc:
            last_error = exc
        if alive is not None and not alive():
            raise RuntimeError(f"the process meant to listen on {host}:{port} has exited")
        if time.monotonic() >= deadline:
            raise TimeoutError(
                f"{host}:{port} accepted no connection within {timeout:g}s ({last_error})"
            )
        time.sleep(0.02)
