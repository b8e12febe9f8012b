"""The delivery client's safety properties, against real servers on loopback: where a
request goes (the address resolved and checked at send time, the real Host header), that
no redirect is followed, that a stalled receiver costs at most the timeout, and that a
receiver answering megabytes costs only the excerpt."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from devstack.ports import free_port
from webhooks.adapters.receivers import EXCERPT_BYTES, WebhookSender
from webhooks.config import WebhooksSettings
from webhooks.domain.delivery import AttemptOutcome, Delivery
from webhooks.domain.signing import generate_secret

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class Server:
    """A raw HTTP/1.1 server on 127.0.0.1: records each request's head, answers with
    ``answer`` (after reading the request)."""

    answer: Answer
    port: int = field(default_factory=free_port)
    heads: list[dict[str, str]] = field(default_factory=list)
    written: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            raw = await reader.readuntil(b"\r\n\r\n")
            lines = raw.decode("latin-1").split("\r\n")
            head = {"request": lines[0]}
            for line in lines[1:]:
                if line:
                    name, _, value = line.partition(":")
                    head[name.strip().lower()] = value.strip()
            await reader.readexactly(int(head.get("content-length", "0")))
            self.heads.append(head)
            await self.answer(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Answer], Awaitable[Server]]]:
    servers: list[asyncio.Server] = []

    async def start(answer: Answer) -> Server:
        server = Server(answer)
        servers.append(await asyncio.start_server(server.handle, "127.0.0.1", server.port))
        return server

    yield start
    for s in servers:
        s.close()


def settings(**overrides: object) -> WebhooksSettings:
    values: dict[str, object] = {
        "require_https": False,
        "allowed_networks": ["127.0.0.0/8", "::1/128"],
        "request_timeout_s": 3.0,
        **overrides,
    }
    return WebhooksSettings(**values)  # type: ignore[arg-type]


async def attempt(url: str, **overrides: object) -> AttemptOutcome:
    now = datetime.now(UTC)
    delivery = Delivery(str(uuid.uuid4()), "endpoint", str(uuid.uuid4()), 1, "key", now, now)
    sender = WebhookSender(settings(**overrides))
    async with sender.open():
        return await sender.send(url, delivery, b'{"ok":true}', [generate_secret()], now)


def answering(status: int, *headers: str, body: bytes = b"") -> Answer:
    async def answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        extra = "".join(f"{h}\r\n" for h in headers)
        writer.write(
            f"HTTP/1.1 {status} X\r\ncontent-length: {len(body)}\r\n{extra}\r\n".encode() + body
        )
        await writer.drain()

    return answer


async def test_a_name_is_sent_to_its_checked_address_with_the_real_host_header(
    serve: Callable[[Answer], Awaitable[Server]],
) -> None:
    server = await serve(answering(204))
    outcome = await attempt(f"http://localhost:{server.port}/hooks/a?b=1")
    assert outcome.succeeded, outcome
    [head] = server.heads
    assert head["request"] == "POST /hooks/a?b=1 HTTP/1.1"
    assert head["host"] == f"localhost:{server.port}"
    assert head["webhook-id"]
    assert head["webhook-signature"].startswith("v1,")
    assert "cookie" not in head


async def test_a_name_resolving_to_an_address_not_allowed_is_never_contacted(
    serve: Callable[[Answer], Awaitable[Server]],
) -> None:
    server = await serve(answering(204))
    outcome = await attempt(f"http://localhost:{server.port}/hooks", allowed_networks=[])
    assert not outcome.succeeded
    assert outcome.status_code is None
    assert "not a public address" in (outcome.error or "")
    assert server.heads == []


async def test_a_redirect_is_a_failed_attempt_and_its_location_is_not_requested(
    serve: Callable[[Answer], Awaitable[Server]],
) -> None:
    elsewhere = await serve(answering(204))
    location = f"http://127.0.0.1:{elsewhere.port}/stolen"
    redirecting = await serve(answering(302, f"location: {location}", "set-cookie: s=1"))
    for _ in range(2):  # and the cookie it set is not sent back
        outcome = await attempt(f"http://127.0.0.1:{redirecting.port}/hooks")
        assert outcome.status_code == 302
        assert not outcome.succeeded
    assert elsewhere.heads == []
    assert all("cookie" not in head for head in redirecting.heads)


async def test_a_stalled_receiver_ends_as_a_failed_attempt_within_the_timeout(
    serve: Callable[[Answer], Awaitable[Server]],
) -> None:
    async def never(reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up and closes

    server = await serve(never)
    started = time.monotonic()
    outcome = await attempt(f"http://127.0.0.1:{server.port}/hooks", request_timeout_s=0.5)
    took = time.monotonic() - started
    assert server.heads, "the request was sent"
    assert not outcome.succeeded
    assert outcome.status_code is None
    assert "Timeout" in (outcome.error or "")
    assert 0.4 < took < 2.0


async def test_a_receiver_sending_megabytes_costs_only_the_excerpt(
    serve: Callable[[Answer], Awaitable[Server]],
) -> None:
    total = 256 * 1024 * 1024

    async def flood(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(f"HTTP/1.1 200 OK\r\ncontent-length: {total}\r\n\r\n".encode())
        chunk = b"x" * 65536
        for _ in range(total // len(chunk)):
            writer.write(chunk)
            await writer.drain()
            server.written += len(chunk)

    server = await serve(flood)
    started = time.monotonic()
    outcome = await attempt(f"http://127.0.0.1:{server.port}/hooks", request_timeout_s=10.0)
    took = time.monotonic() - started
    assert outcome.succeeded, outcome
    assert outcome.excerpt == "x" * EXCERPT_BYTES
    assert took < 2.0
    await asyncio.sleep(0.1)  # the server notices the connection closed
    assert server.written < total // 10
