"""Outbox relay benchmark: the relay every service runs (``shared.messaging.outbox``)
beside a bare SKIP LOCKED relay, measured in the same run on the same machine.

    .venv/bin/python bench/relay.py                                   # 50,000 rows, 20 s
    .venv/bin/python bench/relay.py --drain 200000 --seconds 60 --rate 2000

It starts its own PostgreSQL and Tansu, and gives each relay a database of its own with
the outbox table every service carries (``shared.db.infrastructure``). Both relays run in
this process, each with the producer every service builds (``create_producer``: acks=all,
the same linger), and send the same records: the event's JSON as the value, its partition
key as the key, its CloudEvents attributes as headers. Two measures, each for both:

  * drain rate: with the relay started and idle, N rows are committed in one transaction
    (COPY, then NOTIFY as the unit of work does); the time from that commit to the last
    row marked published, as events per second;
  * commit to acknowledgement at a steady rate: a writer in a child process commits one
    event per transaction (INSERT, NOTIFY, COMMIT, as a use case does) at ``--rate``
    events/s on four connections for ``--seconds``; per row, the time from the writer's
    commit returning to the row's ``published_at``, p50/p95/p99 in milliseconds. Ours
    sets it with ``now()`` in the transaction it opens once the broker acknowledged the
    batch; the bare relay with ``clock_timestamp()`` in the UPDATE that follows the
    acknowledgements (its transaction began before the sends).

Each measure runs in ``--rounds`` rounds (N and the seconds split between them), the two
relays taking turns and the first changing every round: the machine is shared, and a
burst of load from elsewhere then falls on both rather than on one.

The bare relay is the least code that does the job: in one transaction, ``SELECT ... FOR
UPDATE SKIP LOCKED LIMIT 500``, send every row, wait for the acknowledgements, one UPDATE
of the batch, commit; woken by LISTEN, else every 200 ms. It has no lease, no replay after
a new cluster, no topic creation, no metrics. Targets: ours at least 0.5x the bare drain
rate; ours p99 within 3x the bare p99.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import random
import shutil
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import MetaData

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalogue import row, workspace  # noqa: E402
from devstack.broker import TansuBroker  # noqa: E402
from devstack.postgres import PostgresServer  # noqa: E402
from shared.db.engine import create_engine  # noqa: E402
from shared.db.infrastructure import define_infrastructure_tables  # noqa: E402
from shared.db.outbox_rows import OUTBOX_COLUMNS, outbox_row  # noqa: E402
from shared.db.uow import OUTBOX_CHANNEL  # noqa: E402
from shared.events.envelope import encode_data  # noqa: E402
from shared.messaging.kafka import create_producer, ensure_topics  # noqa: E402
from shared.messaging.outbox import OutboxRelay  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

TOPIC = "ipmarket.listing.declarations.v1"
EVENT_TYPE = "cn.ipmarket.listing.declaration.published.v1"
SOURCE = "/ipmarket/listing"
KEYS = 2_000  # distinct patents: partition keys
WRITER_CONNECTIONS = 4
BARE_BATCH = 500

_PLACES = ", ".join(f"${i + 1}" for i in range(len(OUTBOX_COLUMNS)))
INSERT = f"INSERT INTO outbox ({', '.join(OUTBOX_COLUMNS)}) VALUES ({_PLACES}) RETURNING id"  # noqa: S608


def event_row(rng: random.Random, as_text: bool) -> tuple[Any, ...]:
    """One open-licence declaration event, as listing writes it (about 450 bytes of JSON)."""
    n = rng.randrange(KEYS)
    number = f"20191{n:07d}.{n % 10}"
    payload = {
        "declaration_id": str(uuid.UUID(int=rng.getrandbits(128))),
        "application_number": number,
        "patent_number": f"ZL{number}",
        "title": "一种锂离子电池负极材料及其制备方法",
        "patentee": {"org_id": f"org-{n % 97}", "name": "某大学", "uscc": f"9144{n:014d}"},
        "royalty": {"kind": "percentage_of_sales", "rate": "0.035", "currency": "CNY"},
        "term_years": 3,
        "regions": ["440000", "330000"],
        "published_on": "2026-12-06",
    }
    return outbox_row(
        str(uuid.UUID(int=rng.getrandbits(128))),
        TOPIC,
        number,
        EVENT_TYPE,
        SOURCE,
        number,
        datetime.now(UTC),
        None,
        f"org-{n % 97}",
        None,
        json.dumps(payload, ensure_ascii=False) if as_text else payload,
    )


async def create_outbox(url: str) -> None:
    engine = create_engine(url, 1)
    try:
        metadata = MetaData()
        define_infrastructure_tables(metadata)
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
    finally:
        await engine.dispose()


async def jsonb_connection(dsn: str) -> asyncpg.Connection:
    conn = await asyncpg.connect(dsn)
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    return conn


# -- the bare relay ---------------------------------------------------------------------------

BARE_SELECT = """
SELECT id, event_id, topic, partition_key, event_type, source, subject, event_time,
       traceparent, actor, origin_platform, payload
FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
"""


def bare_headers(r: asyncpg.Record) -> list[tuple[str, bytes]]:
    """The same CloudEvents headers as ``CloudEvent.kafka_headers``, straight from the row."""
    headers = [
        ("ce_specversion", b"1.0"),
        ("ce_id", str(r["event_id"]).encode()),
        ("ce_source", r["source"].encode()),
        ("ce_type", r["event_type"].encode()),
        ("ce_time", r["event_time"].isoformat().encode()),
        ("content-type", b"application/json"),
    ]
    if r["subject"] is not None:
        headers.append(("ce_subject", r["subject"].encode()))
    for name, column in (
        ("traceparent", "traceparent"),
        ("actor", "actor"),
        ("partitionkey", "partition_key"),
        ("originplatform", "origin_platform"),
    ):
        if r[column] is not None:
            headers.append((f"ce_{name}", r[column].encode()))
    return headers


async def bare_relay(dsn: str, producer: Any, stopping: asyncio.Event) -> None:
    conn = await jsonb_connection(dsn)
    wakeup = asyncio.Event()
    await conn.add_listener(OUTBOX_CHANNEL, lambda *_: wakeup.set())
    try:
        while not stopping.is_set():
            wakeup.clear()
            async with conn.transaction():
                rows = await conn.fetch(BARE_SELECT, BARE_BATCH)
                futures = [
                    await producer.send(
                        r["topic"],
                        value=encode_data(r["payload"]),
                        key=r["partition_key"].encode(),
                        headers=bare_headers(r),
                    )
                    for r in rows
                ]
                await asyncio.gather(*futures)
                if rows:
                    await conn.execute(
                        # The time of marking, not the transaction's start (now()), which
                        # came before the sends: measured as ours is.
                        "UPDATE outbox SET published_at = clock_timestamp() "
                        "WHERE id = ANY($1::bigint[])",
                        [r["id"] for r in rows],
                    )
            if len(rows) < BARE_BATCH:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), timeout=0.2)
    finally:
        await conn.close()


# -- measures ---------------------------------------------------------------------------------


async def wait_drained(dsn: str, limit_s: float) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        deadline = time.monotonic() + limit_s
        while await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"):
            if time.monotonic() > deadline:
                raise TimeoutError("the relay did not drain the outbox")
            await asyncio.sleep(0.05)
    finally:
        await conn.close()


async def drain(dsn: str, count: int, seed: int) -> tuple[int, float]:
    """Commit ``count`` rows at once; the seconds until the last is marked published."""
    rng = random.Random(seed)
    records = [event_row(rng, as_text=True) for _ in range(count)]
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.copy_records_to_table("outbox", records=records, columns=OUTBOX_COLUMNS)
            await conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")
        committed = time.time()
        await wait_drained(dsn, limit_s=600)
        last = await conn.fetchval("SELECT max(published_at) FROM outbox")
        return count, last.timestamp() - committed
    finally:
        await conn.close()


def writer_process(dsn: str, rate: int, seconds: float, seed: int, out: str) -> None:
    """The child process's entry: commit ``rate`` events/s; write ``id,commit time`` lines."""
    times = asyncio.run(write_steadily(dsn, rate, seconds, seed))
    Path(out).write_text("".join(f"{i},{t!r}\n" for i, t in sorted(times)))


async def write_steadily(dsn: str, rate: int, seconds: float, seed: int) -> list[tuple[int, float]]:
    times: list[tuple[int, float]] = []
    per_connection = rate / WRITER_CONNECTIONS

    async def writer(k: int) -> None:
        rng = random.Random(seed * WRITER_CONNECTIONS + k)
        conn = await jsonb_connection(dsn)
        start = time.monotonic() + k / rate  # staggered: the rate is spread evenly
        try:
            for i in range(int(per_connection * seconds)):
                delay = start + i / per_connection - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                async with conn.transaction():
                    ident = await conn.fetchval(INSERT, *event_row(rng, as_text=False))
                    await conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")
                times.append((ident, time.time()))
        finally:
            await conn.close()

    await asyncio.gather(*(writer(k) for k in range(WRITER_CONNECTIONS)))
    return times


async def steady(
    dsn: str, rate: int, seconds: float, seed: int, work: Path
) -> tuple[list[float], float]:
    """Per-row commit-to-acknowledgement milliseconds, and the writer's seconds."""
    out = work / f"writer-{uuid.uuid4().hex}.csv"
    child = multiprocessing.get_context("spawn").Process(
        target=writer_process, args=(dsn, rate, seconds, seed, str(out))
    )
    child.start()
    await asyncio.to_thread(child.join)
    await wait_drained(dsn, limit_s=120)
    committed = {int(i): float(t) for i, t in (line.split(",") for line in out.read_text().split())}
    elapsed = max(committed.values()) - min(committed.values())
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT id, published_at FROM outbox WHERE id = ANY($1::bigint[])", list(committed)
        )
    finally:
        await conn.close()
    latencies = [(r["published_at"].timestamp() - committed[r["id"]]) * 1000 for r in rows]
    return latencies, elapsed


def percentiles(values: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


class Figures:
    """One relay's measures, summed over the rounds."""

    def __init__(self) -> None:
        self.drained = 0
        self.drain_s = 0.0
        self.latencies: list[float] = []
        self.written_s = 0.0


async def take_turns(
    postgres: PostgresServer, names: list[str], args: argparse.Namespace, work: Path
) -> dict[str, Figures]:
    """Each measure in rounds, the relays in turn (the first changing every round), so a
    burst of load from elsewhere on the machine does not fall on one relay alone."""
    figures = {name: Figures() for name in names}
    for r in range(args.rounds):
        order = names if r % 2 == 0 else names[::-1]
        for name in order:
            count, seconds = await drain(postgres.dsn(name), args.drain // args.rounds, seed=r)
            figures[name].drained += count
            figures[name].drain_s += seconds
    for r in range(args.rounds):
        order = names if r % 2 == 0 else names[::-1]
        for name in order:
            latencies, seconds = await steady(
                postgres.dsn(name), args.rate, args.seconds / args.rounds, 1000 + r, work
            )
            figures[name].latencies += latencies
            figures[name].written_s += seconds
            cuts = "/".join(f"{v:.1f}" for v in percentiles(latencies))
            print(f"  round {r + 1}, {name}: {cuts} ms, {len(latencies) / seconds:,.0f}/s written")
    return figures


def report(results: dict[str, Figures], args: argparse.Namespace) -> None:
    ours, bare = results["ours"], results["bare"]
    o_rate, b_rate = ours.drained / ours.drain_s, bare.drained / bare.drain_s
    print()
    row("measure", "ours", "bare", "ratio", "target", "met?")
    ratio = o_rate / b_rate
    row("drain (events/s)", f"{o_rate:,.0f}", f"{b_rate:,.0f}", f"{ratio:.2f}x",
        "ours at least 0.5x bare", "yes" if ratio >= 0.5 else "NO")  # fmt: skip
    o, b = percentiles(ours.latencies), percentiles(bare.latencies)
    ratio = o[2] / b[2]
    row(f"commit to ack at {args.rate:,}/s, ms p50/p95/p99",
        "/".join(f"{v:.1f}" for v in o), "/".join(f"{v:.1f}" for v in b),
        f"{ratio:.2f}x", "ours p99 within 3x bare", "yes" if ratio <= 3 else "NO")  # fmt: skip
    achieved = [len(f.latencies) / f.written_s for f in (ours, bare)]
    print(f"\nthe writer committed {achieved[0]:,.0f}/s (ours), {achieved[1]:,.0f}/s (bare)")


async def main(args: argparse.Namespace) -> None:
    work = workspace()
    postgres, broker = PostgresServer(work / "postgres"), TansuBroker()
    postgres.start()
    broker.start()
    try:
        for database in ("ours", "bare"):
            postgres.create_database(database)
            await create_outbox(postgres.url(database))
        settings = ServiceSettings(
            service_name="bench-relay",
            database_url=postgres.url("ours"),
            kafka_bootstrap_servers=broker.bootstrap_servers,
        )
        await ensure_topics(settings, [TOPIC])

        async def ours(stopping: asyncio.Event) -> None:
            producer = create_producer(settings)
            await producer.start()
            relay = OutboxRelay(settings, postgres.dsn("ours"), producer, topics=[TOPIC])
            task = asyncio.create_task(relay.run())
            try:
                await stopping.wait()
            finally:
                relay.stop()
                await task
                await producer.stop()

        async def bare(stopping: asyncio.Event) -> None:
            producer = create_producer(settings)
            await producer.start()
            try:
                await bare_relay(postgres.dsn("bare"), producer, stopping)
            finally:
                await producer.stop()

        print(
            f"outbox relay benchmark: drain {args.drain:,} rows; {args.rate:,} events/s for "
            f"{args.seconds:g} s; each in {args.rounds} rounds, the relays taking turns; "
            "PostgreSQL + Tansu on this machine"
        )
        relays = {"ours": ours, "bare": bare}
        stopping = asyncio.Event()
        tasks = [asyncio.create_task(relay(stopping)) for relay in relays.values()]
        try:
            await asyncio.sleep(1.0)  # leader, cluster id, topics: settled before the clock runs
            results = await take_turns(postgres, list(relays), args, work)
        finally:
            stopping.set()
            await asyncio.wait_for(asyncio.gather(*tasks), 30)
        report(results, args)
    finally:
        broker.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--drain", type=int, default=50_000, help="rows for the drain rate")
    parser.add_argument("--rate", type=int, default=2_000, help="events/s for the latency")
    parser.add_argument("--seconds", type=float, default=20.0, help="of steady writing")
    parser.add_argument("--rounds", type=int, default=4, help="turns each relay takes")
    asyncio.run(main(parser.parse_args()))
