"""The webhook fan-out benchmark's receivers: a process of loopback HTTP servers, as the
connected exchanges would run them.

    python bench/fanout_receivers.py SPEC [SPEC ...]

Each SPEC is ``port:behavior[:secret]``. Behaviors:

  * ``ok``: verifies the Standard Webhooks signature with the secret (the reference
    library, not our code), answers 204, and writes ``<webhook-id> <port> <monotonic>``
    on stdout for each verified request (401 and a ``bad`` line when it does not verify);
  * ``fail``: answers 503 to everything;
  * ``slow``: answers 204 after 5 s;
  * ``stall``: accepts connections, reads, never answers;
  * ``unreachable``: listens and never accepts: once the backlog is full, connecting
    hangs until the client's connect timeout (a host that drops packets);
  * ``refuse``: nothing listens there (connection refused).

The monotonic clock is the machine's, so the benchmark process compares these arrival
times with its own. The servers are plain asyncio protocols: the receivers must cost
less than what they measure. "ready" on stdout once every server listens; it stops when
stdin closes.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import time

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

OK = b"HTTP/1.1 204 No Content\r\n\r\n"
FAILED = b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n"
REFUSED = b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n"


class Receiver(asyncio.Protocol):
    """HTTP/1.1 keep-alive requests with a Content-Length body (what webhooks send)."""

    def __init__(self, port: int, behavior: str, webhook: Webhook | None) -> None:
        self.port, self.behavior, self.webhook = port, behavior, webhook
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1").split("\r\n")
            headers = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            self.answer(headers, body)

    def answer(self, headers: dict[str, str], body: bytes) -> None:
        assert self.transport is not None
        if self.behavior == "stall":
            return
        if self.behavior == "fail":
            self.transport.write(FAILED)
            return
        if self.behavior == "slow":
            asyncio.get_running_loop().call_later(5.0, self._late, OK)
            return
        arrived = time.monotonic()
        try:
            assert self.webhook is not None
            subject = self.webhook.verify(body, headers).get("subject", "-")
        except (WebhookVerificationError, ValueError, KeyError, AttributeError):
            sys.stdout.write(f"bad {self.port} {headers.get('webhook-id', '?')}\n")
            self.transport.write(REFUSED)
            return
        sys.stdout.write(f"{subject} {self.port} {arrived:.6f}\n")
        self.transport.write(OK)

    def _late(self, reply: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(reply)


async def serve(specs: list[str]) -> None:
    loop = asyncio.get_running_loop()
    keep: list[object] = []
    for spec in specs:
        port_text, behavior, *secret = spec.split(":", 2)
        port = int(port_text)
        if behavior == "refuse":
            continue
        if behavior == "unreachable":
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
            sock.listen(0)
            keep.append(sock)
            continue
        webhook = Webhook(secret[0]) if secret else None
        keep.append(
            await loop.create_server(
                lambda p=port, b=behavior, w=webhook: Receiver(p, b, w), "127.0.0.1", port
            )
        )
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    flusher = asyncio.create_task(_flush_often())
    await loop.run_in_executor(None, sys.stdin.read)
    flusher.cancel()


async def _flush_often() -> None:
    while True:
        await asyncio.sleep(0.05)
        sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1:]))
