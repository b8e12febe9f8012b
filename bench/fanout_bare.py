"""The fan-out benchmark's baseline: a bare relay, an aiokafka consumer posting each of
listing's events, signed, to every receiver with aiohttp (the fastest client measured by
``bench/fanout_clients.py``). No database, no retries, no ordering: the least that
delivers. A process of its own, as the webhooks service is:

    python bench/fanout_bare.py BOOTSTRAP GROUP earliest|latest PORT:BEHAVIOR:SECRET ...

It prints "ready" once its group has partitions and positions (nothing published after
that is missed), and runs until terminated.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "services" / "webhooks"))

from shared.events import topics  # noqa: E402


async def bare_relay(bootstrap: str, group: str, earliest: bool, specs: list[str]) -> None:
    """Consume listing's topic and POST each event, signed, to every receiver."""
    from aiokafka import AIOKafkaConsumer

    from shared.events.envelope import CloudEvent
    from webhooks.domain.signing import sign_all

    receivers = [(int(p), s) for p, _, s in (spec.split(":", 2) for spec in specs)]
    consumer = AIOKafkaConsumer(
        topics.LISTING,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest" if earliest else "latest",
        fetch_max_wait_ms=10,
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
    )
    await consumer.start()
    while not consumer.assignment():  # joined: "ready" means no event is missed
        await consumer.getmany(timeout_ms=100)
    if not earliest:  # a new group's "latest" is not honoured by every broker
        await consumer.seek_to_end()
    for partition in consumer.assignment():
        await consumer.position(partition)
    in_flight = asyncio.Semaphore(256)
    timeout = aiohttp.ClientTimeout(total=10)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def post(port: int, secret: str, event: CloudEvent, raw: bytes) -> None:
            headers = {
                "content-type": "application/cloudevents+json; charset=utf-8",
                **sign_all([secret], event.id, int(time.time()), raw).as_dict(),
            }
            try:
                async with session.post(
                    f"http://127.0.0.1:{port}/hooks",
                    data=raw,
                    headers=headers,
                    allow_redirects=False,
                ) as response:
                    await response.content.read(1000)
            finally:
                in_flight.release()

        print("ready", flush=True)
        tasks: set[asyncio.Task[None]] = set()
        while True:
            batches = await consumer.getmany(timeout_ms=100, max_records=500)
            for records in batches.values():
                for record in records:
                    event = CloudEvent.from_kafka(record.headers, record.value)
                    raw = json.dumps(
                        event.to_structured(), ensure_ascii=False, separators=(",", ":")
                    ).encode()
                    for port, secret in receivers:
                        await in_flight.acquire()
                        task = asyncio.create_task(post(port, secret, event, raw))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)


class Bare:
    def __init__(self, bootstrap: str, group: str, earliest: bool, specs: list[str]) -> None:
        self.args = [bootstrap, group, "earliest" if earliest else "latest", *specs]
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Bare:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, *self.args, stdout=asyncio.subprocess.PIPE
        )
        assert self.process.stdout is not None
        assert await self.process.stdout.readline() == b"ready\n"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        await self.process.wait()


if __name__ == "__main__":
    bootstrap, group, start, *receivers = sys.argv[1:]
    asyncio.run(bare_relay(bootstrap, group, start == "earliest", receivers))
