"""Loopback TCP port helpers."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago.

    The port is released before returning, so another process may take it before the caller
    binds it; callers that choose the port themselves retry on a bind failure.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
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
