"""A lean HTTP/1.1 keep-alive client for measuring servers, not clients.

httpx spends about 0.8 ms of CPU on each request here, in the process that times it and
on the two cores the servers use: more than a search's own statement. Load generators
(wrk, oha) are lean for that reason; this is the least a Python client can do. It speaks
only what the benchmark needs: GET or POST with a JSON body, responses with a
Content-Length, connections kept alive and dropped after ``idle_s`` unused (before the
server's keep-alive ends, or a request races it closing the connection).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.last_used = time.monotonic()


class Http1Client:
    def __init__(self, base_url: str, headers: dict[str, str] | None = None, idle_s: float = 2.0):
        url = urlsplit(base_url)
        if url.scheme != "http" or url.hostname is None or url.port is None:
            raise ValueError(f"need http://host:port, got {base_url!r}")
        self.host, self.port, self.idle_s = url.hostname, url.port, idle_s
        fixed = {"host": f"{self.host}:{self.port}", **(headers or {})}
        self._head = "".join(f"{k}: {v}\r\n" for k, v in fixed.items())
        self._idle: list[_Connection] = []

    async def get(self, path: str, params: dict[str, str] | None = None) -> Reply:
        return await self.request("GET", path + (f"?{urlencode(params)}" if params else ""))

    async def post(self, path: str, json_body: Any = None) -> Reply:
        return await self.request("POST", path, json_body)

    async def request(self, method: str, target: str, json_body: Any = None) -> Reply:
        body = b"" if json_body is None else json.dumps(json_body).encode()
        extra = "content-type: application/json\r\n" if json_body is not None else ""
        message = (
            f"{method} {target} HTTP/1.1\r\n{self._head}{extra}content-length: {len(body)}\r\n\r\n"
        ).encode() + body
        conn = await self._acquire()
        try:
            conn.writer.write(message)
            head = await conn.reader.readuntil(b"\r\n\r\n")
            status, length, closes = _parse_head(head)
            reply = Reply(status, await conn.reader.readexactly(length))
        except BaseException:
            conn.writer.close()
            raise
        if closes:
            conn.writer.close()
        else:
            conn.last_used = time.monotonic()
            self._idle.append(conn)
        return reply

    async def _acquire(self) -> _Connection:
        now = time.monotonic()
        while self._idle:
            conn = self._idle.pop()
            if now - conn.last_used < self.idle_s:
                return conn
            conn.writer.close()
        return _Connection(*await asyncio.open_connection(self.host, self.port))

    async def aclose(self) -> None:
        while self._idle:
            conn = self._idle.pop()
            conn.writer.close()
            await conn.writer.wait_closed()


def _parse_head(head: bytes) -> tuple[int, int, bool]:
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    fields = dict(
        (name.strip().lower(), value.strip())
        for name, _, value in (line.partition(":") for line in lines[1:] if line)
    )
    if "content-length" not in fields:
        raise ValueError(f"response without Content-Length: {lines[0]}")
    return status, int(fields["content-length"]), fields.get("connection") == "close"
