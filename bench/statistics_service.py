"""Statistics read-model benchmark: the statistics service's ingestion and its national
monthly breakdown by province, each beside a bare baseline measured in the same run.

    .venv/bin/python bench/statistics_service.py                     # 2,000,000 events
    .venv/bin/python bench/statistics_service.py --events 200000 --queries 30

It starts its own PostgreSQL and Tansu and publishes a backlog of synthetic events to the
public topics, as the services publish them (CloudEvents in binary mode): one patent
registered for every four acts, the acts spread over pledges, licences, technology
contracts, declarations, inventories, tiers and matching pushes, three years of effective
dates, 31 provinces. Then two consumers read the whole backlog, each into a database of
its own with the statistics schema (the service's migrations):

  * ours: the statistics service's consumer as it runs in production (the shared
    idempotent consumer: CloudEvents read and checked, each batch's ids claimed in the
    inbox in the transaction of its upserts, offsets committed after);
  * bare: the least code that writes the same rows: ``getmany``, ``json.loads``, the same
    mapping functions (``fact_of``, ``attributes_of``), the same two upserts, one
    transaction per partition batch, offsets committed after. No inbox, no envelope check,
    no dead letters, no metrics, no unit of work.

Ingest rate: events over the seconds from the consumer's start to its group's committed
offsets reaching the topics' ends. Target: ours at least 0.5x bare.

Query: in the database ours filled, the national monthly breakdown by province of one
measure over the three years: the service's own code without HTTP (the figures use case
with an operator's view, through its unit of work) against the bare SQL aggregate sent
with asyncpg, taking turns, ``--queries`` times each; the HTTP figure (in process) is
printed beside. Target: ours p95 within 1.2x the bare p95.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from asgi_lifespan import LifespanManager

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.catalogue import workspace  # noqa: E402
from bench.statistics_backlog import DAYS, FIRST_DAY, Backlog, publish  # noqa: E402
from bench.timing import pct, row  # noqa: E402
from devstack.broker import TansuBroker  # noqa: E402
from devstack.postgres import PostgresServer  # noqa: E402
from ip_statistics.config import StatisticsSettings  # noqa: E402
from ip_statistics.consumers import TOPICS  # noqa: E402
from ip_statistics.domain.attributes import attributes_of, merged  # noqa: E402
from ip_statistics.domain.facts import by_conflict, fact_of  # noqa: E402
from ip_statistics.domain.query import Reach, Viewer, figure_query  # noqa: E402
from ip_statistics.figures import service as figures  # noqa: E402
from ip_statistics.ingest.repository import (  # noqa: E402
    ATTRIBUTES_UPSERT,
    FACT_UPSERTS,
    attribute_columns,
)
from ip_statistics.main import MIGRATIONS, create_app  # noqa: E402
from shared.auth import OrgType, issue_token  # noqa: E402
from shared.db.migrations import upgrade_to_head  # noqa: E402
from shared.messaging.kafka import ensure_topics  # noqa: E402

PARTITIONS = 6
MEASURE = "pledges"


# -- the two consumers -------------------------------------------------------------------


async def caught_up(bootstrap: str, group: str, ends: dict[TopicPartition, int]) -> bool:
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    await probe.start()
    try:
        for tp, end in ends.items():
            if (await probe.committed(tp) or 0) < end:
                return False
        return True
    finally:
        await probe.stop()


async def end_offsets(bootstrap: str) -> dict[TopicPartition, int]:
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await probe.start()
    try:
        await probe.topics()
        tps = [
            TopicPartition(t, p)
            for t in TOPICS
            for p in sorted(probe.partitions_for_topic(t) or [])
        ]
        found: dict[TopicPartition, int] = await probe.end_offsets(tps)
        return {tp: end for tp, end in found.items() if end > 0}
    finally:
        await probe.stop()


async def timed_ingest(
    run: Callable[[asyncio.Event], Awaitable[None]],
    bootstrap: str,
    group: str,
    ends: dict[TopicPartition, int],
) -> float:
    stopping = asyncio.Event()
    started = time.perf_counter()
    task = asyncio.create_task(run(stopping))
    try:
        while not await caught_up(bootstrap, group, ends):
            if task.done():
                task.result()
                raise RuntimeError(f"{group} stopped before the end")
            await asyncio.sleep(0.5)
        return time.perf_counter() - started
    finally:
        stopping.set()
        await asyncio.wait_for(task, 60)


async def run_ours(settings: StatisticsSettings, stopping: asyncio.Event) -> None:
    app = create_app(settings)
    async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60):
        await stopping.wait()


async def run_bare(bootstrap: str, dsn: str, group: str, stopping: asyncio.Event) -> None:
    consumer = AIOKafkaConsumer(
        *TOPICS,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    conn = await asyncpg.connect(dsn)
    await consumer.start()
    try:
        while not stopping.is_set():
            batches = await consumer.getmany(timeout_ms=200, max_records=200)
            for tp, records in batches.items():
                facts, changes = [], []
                for record in records:
                    headers = dict(record.headers)
                    event_type = headers["ce_type"].decode()
                    event_id = headers["ce_id"].decode()
                    at = datetime.fromisoformat(headers["ce_time"].decode())
                    data = json.loads(record.value)
                    fact = fact_of(event_type, event_id, at, data)
                    if fact is not None:
                        facts.append(fact)
                    change = attributes_of(event_type, at, data)
                    if change is not None:
                        changes.append(change)
                async with conn.transaction():
                    for conflict, kept in by_conflict(facts).items():
                        await conn.execute(FACT_UPSERTS[conflict], *_fact_columns(kept))
                    if changes:
                        await conn.execute(ATTRIBUTES_UPSERT, *attribute_columns(merged(changes)))
                await consumer.commit({tp: records[-1].offset + 1})
    finally:
        await consumer.stop()
        await conn.close()


def _fact_columns(facts: list[Any]) -> list[list[Any]]:
    names = ("measure", "fact_key", "event_id", "effective_on", "recorded_at",
             "application_number", "detail", "party_org_id", "amount", "tech_amount")  # fmt: skip
    return [[getattr(f, n) for f in facts] for n in names]


# -- the query ---------------------------------------------------------------------------

BARE_SQL = (
    "SELECT CAST(date_trunc('month', f.effective_on) AS date), a.province_code, count(*),"
    " sum(f.amount), sum(f.tech_amount) FROM facts f LEFT JOIN patent_attributes a"
    " ON a.application_number = f.application_number"
    " WHERE f.measure = $1 AND f.effective_on >= $2 AND f.effective_on < $3"
    " GROUP BY 1, 2 ORDER BY 1, 2"
)


async def query_rows(settings: StatisticsSettings, dsn: str, times: int) -> None:
    last = FIRST_DAY + timedelta(days=DAYS - 1)
    query = figure_query(
        measure=MEASURE,
        group_by="month,province",
        first=f"{FIRST_DAY:%Y-%m}",
        last=f"{last:%Y-%m}",
        region=None,
        industry=None,
        party_type=None,
        today=last,
    )
    operator = Viewer(Reach.ALL, "operator")
    # The services' own setting (shared.db.engine): prepared statements get custom plans.
    conn = await asyncpg.connect(dsn, server_settings={"plan_cache_mode": "force_custom_plan"})
    app = create_app(settings.model_copy(update={"kafka_consumer_group": "bench-http-idle"}))
    token = issue_token(
        settings, org_id="operator", org_name="平台运营方", org_type=OrgType.OPERATOR
    )
    params = {"measure": MEASURE, "group_by": "month,province", "from": f"{FIRST_DAY:%Y-%m}",
              "to": f"{last:%Y-%m}"}  # fmt: skip
    samples: dict[str, list[float]] = {"ours": [], "bare": [], "http": []}
    try:
        async with LifespanManager(app, startup_timeout=120, shutdown_timeout=60) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                runtime = app.state.runtime

                async def ours() -> int:
                    async with runtime.uow() as uow:
                        return len((await figures.figures(uow, operator, query)).rows)

                async def bare() -> int:
                    end = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
                    return len(await conn.fetch(BARE_SQL, MEASURE, FIRST_DAY, end))

                async def http() -> int:
                    found = await client.get(
                        "/v1/statistics/figures",
                        params=params,
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    found.raise_for_status()
                    return len(found.json()["rows"])

                calls = {"ours": ours, "bare": bare, "http": http}
                counts = {name: await call() for name, call in calls.items()}  # warm
                assert len(set(counts.values())) == 1, counts
                for i in range(times):
                    order = list(calls) if i % 2 == 0 else list(reversed(calls))
                    for name in order:
                        started = time.perf_counter()
                        await calls[name]()
                        samples[name].append((time.perf_counter() - started) * 1000)
    finally:
        await conn.close()
    p95 = {name: pct(values, 0.95) for name, values in samples.items()}
    p50 = {name: pct(values, 0.5) for name, values in samples.items()}
    row(
        f"national monthly by province ({counts['ours']} rows), p95 ms",
        f"{p95['ours']:.1f} (p50 {p50['ours']:.1f})",
        f"{p95['bare']:.1f} (p50 {p50['bare']:.1f})",
        f"{p95['ours'] / p95['bare']:.2f}x",
        "<= 1.2x",
        f"HTTP {p95['http']:.1f} (p50 {p50['http']:.1f})",
    )


async def main(args: argparse.Namespace) -> None:
    work = workspace()
    postgres, broker = PostgresServer(work / "postgres"), TansuBroker()
    postgres.start()
    broker.start()
    try:
        for database in ("ours", "bare"):
            postgres.create_database(database)
            await asyncio.to_thread(upgrade_to_head, MIGRATIONS, postgres.url(database))
        settings = StatisticsSettings(
            database_url=postgres.url("ours"),
            kafka_bootstrap_servers=broker.bootstrap_servers,
            kafka_consumer_group="bench-ours",
            kafka_topic_partitions=PARTITIONS,
            kafka_enable_idempotence=False,
            log_level="WARNING",
            log_json=False,
        )
        await ensure_topics(settings, list(TOPICS))
        print(
            f"statistics benchmark: {args.events:,} events in the backlog, "
            "PostgreSQL + Tansu on this machine\n"
        )
        started = time.perf_counter()
        sent = await publish(settings, Backlog(args.events, args.seed))
        print(f"published {sent:,} events in {time.perf_counter() - started:.0f} s\n")
        ends = await end_offsets(broker.bootstrap_servers)
        row("measure", "ours", "baseline", "ratio", "target")
        bootstrap = broker.bootstrap_servers
        ours_s = await timed_ingest(
            lambda stopping: run_ours(settings, stopping), bootstrap, "bench-ours", ends
        )
        bare_s = await timed_ingest(
            lambda stopping: run_bare(bootstrap, postgres.dsn("bare"), "bench-bare", stopping),
            bootstrap,
            "bench-bare",
            ends,
        )
        row(
            "ingest a backlog, events/s",
            f"{sent / ours_s:,.0f} ({ours_s:.0f} s)",
            f"{sent / bare_s:,.0f} ({bare_s:.0f} s)",
            f"{bare_s / ours_s:.2f}x",
            ">= 0.5x",
        )
        await compare_tables(postgres.dsn("ours"), postgres.dsn("bare"))
        await query_rows(settings, postgres.dsn("ours"), args.queries)
    finally:
        broker.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


async def compare_tables(ours: str, bare: str) -> None:
    """Both consumers wrote the same figures (the benchmark compares like with like)."""
    sql = "SELECT measure, count(*), sum(amount), sum(tech_amount) FROM facts GROUP BY 1 ORDER BY 1"
    found = []
    for dsn in (ours, bare):
        conn = await asyncpg.connect(dsn)
        try:
            found.append([tuple(r) for r in await conn.fetch(sql)])
            found.append(await conn.fetchval("SELECT count(*) FROM patent_attributes"))
        finally:
            await conn.close()
    assert found[0] == found[2], found
    assert found[1] == found[3], found
    facts = sum(r[1] for r in found[0])
    print(f"  both wrote the same {facts:,} facts and {found[1]:,} patents' attributes")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2_000_000, help="in the backlog")
    parser.add_argument("--queries", type=int, default=50, help="of each kind, taking turns")
    parser.add_argument("--seed", type=int, default=22)
    asyncio.run(main(parser.parse_args()))
