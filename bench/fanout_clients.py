"""Which HTTP client sends webhooks: POSTs per second of the sending process's CPU.

    .venv/bin/python bench/fanout_clients.py                 # 4,000 POSTs per client
    .venv/bin/python bench/fanout_clients.py --posts 20000

Each client sends the same signed 1 KB CloudEvents bodies to 20 loopback receivers (a
process of their own, ``bench/fanout_receivers.py``, verifying every signature), pinned
as the webhooks service pins them: the URL carries the resolved IP literal, the Host
header the name, redirects are not followed, timeouts are bounded, and at most an excerpt
of each response is read. 16 requests in flight. The figure is requests per second of
this process's CPU time (``time.process_time``): what one webhooks instance could send
on one core. Wall-clock rates are printed beside it (the receivers share the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "services" / "webhooks"))

from devstack.ports import free_port  # noqa: E402
from webhooks.domain.signing import generate_secret, sign_all  # noqa: E402

RECEIVERS = 20
IN_FLIGHT = 16
EXCERPT_BYTES = 1000

Post = Callable[[int, bytes, dict[str, str]], Awaitable[int]]


def body(number: int) -> bytes:
    event = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/ipmarket/listing",
        "type": "cn.ipmarket.listing.patent.status_changed.v1",
        "subject": f"2019100{number:05d}.X",
        "data": {"application_number": f"2019100{number:05d}.X", "note": "专利" * 110},
    }
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


class Farm:
    """The receivers' process: ``ok`` receivers verifying with one secret."""

    def __init__(self, specs: list[str]) -> None:
        self.specs = specs
        self.process: asyncio.subprocess.Process | None = None
        self.arrivals = 0
        self.bad = 0
        self.arrived: list[tuple[str, int, float]] = []  # (subject, port, monotonic)
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "bench" / "fanout_receivers.py"),
            *self.specs,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        assert self.process.stdout is not None
        assert await self.process.stdout.readline() == b"ready\n"
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            line = raw.decode()
            if line.startswith("bad "):
                self.bad += 1
            else:
                subject, port, at = line.split()
                self.arrivals += 1
                self.arrived.append((subject, int(port), float(at)))

    async def stop(self) -> None:
        if self.process is None:
            return
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), timeout=5)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            await asyncio.wait_for(self._reader, timeout=5)


def headers_for(secret: str, raw: bytes, port: int) -> dict[str, str]:
    return {
        "host": f"receiver-{port}.example:{port}",
        "content-type": "application/cloudevents+json; charset=utf-8",
        **sign_all([secret], str(uuid.uuid4()), int(time.time()), raw).as_dict(),
    }


async def with_httpx(send: Callable[[Post], Awaitable[None]]) -> None:
    timeout = httpx.Timeout(10.0)
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=100)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, limits=limits) as client:

        async def post(port: int, raw: bytes, headers: dict[str, str]) -> int:
            request = client.build_request(
                "POST", f"http://127.0.0.1:{port}/hooks", content=raw, headers=headers
            )
            response = await client.send(request, stream=True)
            try:
                excerpt = b""
                async for chunk in response.aiter_bytes():
                    excerpt += chunk
                    if len(excerpt) >= EXCERPT_BYTES:
                        break
            finally:
                await response.aclose()
            return response.status_code

        await send(post)


async def with_aiohttp(send: Callable[[Post], Awaitable[None]]) -> None:
    timeout = aiohttp.ClientTimeout(total=10.0, sock_connect=10.0, sock_read=10.0)
    connector = aiohttp.TCPConnector(limit=0, use_dns_cache=False)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, auto_decompress=False
    ) as session:

        async def post(port: int, raw: bytes, headers: dict[str, str]) -> int:
            async with session.post(
                f"http://127.0.0.1:{port}/hooks", data=raw, headers=headers, allow_redirects=False
            ) as response:
                await response.content.read(EXCERPT_BYTES)
                return response.status

        await send(post)


CLIENTS = {"httpx 0.28": with_httpx, "aiohttp 3.13": with_aiohttp}


async def measure(posts: int) -> dict[str, tuple[float, float]]:
    secret = generate_secret()
    ports = [free_port() for _ in range(RECEIVERS)]
    farm = Farm([f"{p}:ok:{secret}" for p in ports])
    await farm.start()
    bodies = [body(i) for i in range(200)]
    results: dict[str, tuple[float, float]] = {}
    try:
        for name, client in CLIENTS.items():

            async def send(post: Post) -> None:
                queue = iter(range(posts))

                async def lane() -> None:
                    for i in queue:
                        port = ports[i % RECEIVERS]
                        raw = bodies[i % len(bodies)]
                        status = await post(port, raw, headers_for(secret, raw, port))
                        assert status == 204, status

                await asyncio.gather(*(lane() for _ in range(IN_FLIGHT)))

            cpu, wall = time.process_time(), time.perf_counter()
            await client(send)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            results[name] = (posts / cpu, posts / wall)
        await asyncio.sleep(0.2)
    finally:
        await farm.stop()
    expected = posts * len(CLIENTS)
    if farm.arrivals != expected or farm.bad:
        raise SystemExit(f"receivers verified {farm.arrivals} of {expected}, {farm.bad} bad")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=4000)
    args = parser.parse_args()
    results = asyncio.run(measure(args.posts))
    print(f"{'client':<16}{'POSTs/s of CPU':>16}{'POSTs/s wall':>16}")
    for name, (per_cpu, per_wall) in results.items():
        print(f"{name:<16}{per_cpu:>16,.0f}{per_wall:>16,.0f}")


if __name__ == "__main__":
    main()
