"""A connected platform's webhook receiver: a real HTTP server on loopback.

It verifies every request with the ``standardwebhooks`` reference library (not our
code), records what it got, and can be told to answer with an error, to be slow, or
to be down altogether (its socket closed, so connections are refused).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from devstack.ports import free_port
from tests.support.stack import eventually

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


@dataclass
class Received:
    webhook_id: str
    event: dict[str, Any]
    headers: dict[str, str]
    raw: bytes
    at: float


@dataclass
class Receiver:
    name: str
    port: int = field(default_factory=free_port)
    secrets: list[str] = field(default_factory=list)
    answer_status: int = 204
    answer_headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    received: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/{self.name}"

    async def start(self) -> None:
        config = uvicorn.Config(
            self._app,
            host="127.0.0.1",
            port=self.port,
            log_config=None,
            access_log=False,
            lifespan="off",
            interface="asgi3",
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        await eventually(lambda: self._server is not None and self._server.started)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = self._task = None

    def events(self, subjects: set[str] | None = None) -> list[dict[str, Any]]:
        """Events received and verified, optionally only those about some subjects."""
        return [
            r.event for r in self.received if subjects is None or r.event.get("subject") in subjects
        ]

    def verify(self, raw: bytes, headers: dict[str, str]) -> bool:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(raw, headers)
                return True
            except WebhookVerificationError:
                continue  # try the next secret
        return False

    async def _app(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        status = self.answer_status
        if self.verify(body, headers):
            if 200 <= status < 300:
                self.received.append(
                    Received(
                        headers["webhook-id"], json.loads(body), headers, body, time.monotonic()
                    )
                )
        else:
            self.rejected.append(headers.get("webhook-id", "?"))
            status = 401
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode(), v.encode()) for k, v in self.answer_headers.items()],
            }
        )
        # A 204 has no body (uvicorn refuses to send one).
        answer = b"" if status == 204 else b'{"ok":true}'
        await send({"type": "http.response.body", "body": answer})
