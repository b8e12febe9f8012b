"""The outbox relay: ships committed outbox rows to Kafka, in commit order, at least once.

One relay is active per service at a time: it holds a Postgres advisory lock on a
dedicated connection (the lease) and the other instances stand by, retrying the lock.
A SKIP LOCKED relay on several instances would reorder a key's events; the lease does
not. If the leader dies its connection closes, the lock is released and a standby takes
over; rows it had sent but not yet marked are sent again with the same event id, which
consumers deduplicate.

Rows are marked published only after the broker acknowledged them (acks=all). While
the broker is unreachable nothing is marked, and everything is sent when it is back.

A broker that lost its history (a new Kafka cluster id) gets the retained outbox again
before anything new (``shared.messaging.replay``). The topics the service needs (and
those its database names, such as the banks' topics) are created again when the relay
becomes the leader or finds a new cluster, and each topic a batch goes to is created
first if the cluster lacks it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from shared.db.migrations import advisory_key
from shared.db.uow import OUTBOX_CHANNEL
from shared.events.envelope import CloudEvent, encode_data
from shared.messaging.kafka import ensure_topics
from shared.messaging.replay import ClusterWatch, PublishFailed
from shared.observability import metrics
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)


class OutboxRelay:
    """Runs as a background task of each service instance; see the module docstring."""

    def __init__(
        self,
        settings: ServiceSettings,
        dsn: str,
        producer: AIOKafkaProducer,
        *,
        topics: Iterable[str] = (),
        topics_query: str | None = None,
    ) -> None:
        """``topics``: what the service needs on any cluster (published, consumed, dead
        letters); ``topics_query``: SQL giving more, named in the service's database (a
        bank's topic). The relay creates those the cluster lacks when it becomes the leader
        and when it finds a new cluster, so they exist even with nothing to send again."""
        self._settings = settings
        self._dsn = dsn
        self._producer = producer
        self._service = settings.service_name
        self._required_topics = set(topics)
        self._topics_query = topics_query
        self._topics_to_check = True  # every topic above, on the current cluster
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()
        self._lock_key = advisory_key(f"ipmarket:outbox-relay:{settings.service_name}")
        self._next_housekeeping = 0.0
        self._cluster = ClusterWatch(settings, producer)
        self._topics_seen: set[str] = set()  # known to exist on the current cluster
        self.is_leader = False
        self.lease_attempts = 0  # tries of the lease so far (a test's sentinel)

    def notify(self) -> None:
        """Called after a local commit that staged events: publish without waiting."""
        self._wakeup.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()

    async def run(self) -> None:
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                conn = await asyncpg.connect(self._dsn)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("outbox relay cannot reach the database", extra={"error": str(exc)})
                await self._pause(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            try:
                self.lease_attempts += 1
                if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", self._lock_key):
                    # Another instance holds the lease: stand by and try again later.
                    await self._pause(1.0)
                    continue
                backoff = 0.5
                await self._lead(conn)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("outbox relay lost its database connection", extra={"error": str(exc)})
                await self._pause(backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                self._set_leader(False)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), timeout=2)

    async def _lead(self, conn: asyncpg.Connection) -> None:
        self._set_leader(True)
        await conn.set_type_codec(
            "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )
        await conn.add_listener(OUTBOX_CHANNEL, self._on_notify)
        await self._cluster.load(conn)
        self._new_cluster()
        log.info("outbox relay is the leader for this service")
        failures = 0
        woken = True  # rows may be waiting for a new leader
        while not self._stopping.is_set():
            self._wakeup.clear()
            # Said again on every pass: another relay of the same service in this process
            # (tests run several apps in one) may have set the shared gauge to 0 on stopping.
            self._set_leader(True)
            try:
                sent = await self._publish_batch(conn, woken)
            except PublishFailed as exc:
                failures += 1
                metrics.OUTBOX_PUBLISH_FAILURES.labels(self._service).inc()
                if failures == 1 or failures % 20 == 0:
                    log.warning(
                        "broker did not acknowledge outbox events; they stay queued",
                        extra={"error": str(exc), "consecutive_failures": failures},
                    )
                await self._pause(min(0.25 * 2**failures, 5.0))
                continue
            if failures:
                log.info("broker reachable again; outbox draining", extra={"after": failures})
                failures = 0
            if sent >= self._settings.outbox_batch_size:
                woken = True  # more rows are likely behind a full batch
                continue
            await self._housekeeping(conn)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._wakeup.wait(), timeout=self._settings.outbox_poll_interval_ms / 1000
                )
            woken = self._wakeup.is_set()

    async def _publish_batch(self, conn: asyncpg.Connection, woken: bool) -> int:
        """Send the next batch and mark what the broker acknowledged; ``woken``: a commit
        (or a full batch before) says rows are likely waiting."""
        # Nothing goes to a cluster before it is known to be the one last published to;
        # an idle relay looks too, so that what consumers lost is sent again unprompted.
        # When rows are likely, the broker is asked while the batch is read, rather than
        # after: one round trip less on the way from commit to acknowledgement.
        current: str | PublishFailed | None
        if woken or self._cluster.check_due():
            rows, current = await asyncio.gather(self._cluster.fetch(conn), self._cluster_id())
        else:
            rows = await self._cluster.fetch(conn)
            if not rows:
                return 0
            current = await self._cluster_id()
        if isinstance(current, PublishFailed):
            if rows:
                raise current
            return 0  # idle: the next batch reports an unreachable broker
        if await self._cluster.changed(conn, current):
            self._new_cluster()
            rows = await self._cluster.fetch(conn)
        if self._topics_to_check:
            try:
                await self._ensure_topics(await self._known_topics(conn))
            except PublishFailed:
                if rows:
                    raise
                return 0  # idle: tried again with the next batch
            self._topics_to_check = False
        if not rows:
            return 0
        await self._ensure_topics({row["topic"] for row in rows})
        futures: list[asyncio.Future[Any]] = []
        error: BaseException | None = None
        for row in rows:
            event = _row_to_event(row)
            try:
                futures.append(
                    await self._producer.send(
                        row["topic"],
                        value=encode_data(row["payload"]),
                        key=row["partition_key"].encode(),
                        headers=event.kafka_headers(),
                    )
                )
            except Exception as exc:  # noqa: BLE001 - any producer error leaves rows queued
                error = exc
                break
        results = await asyncio.gather(*futures, return_exceptions=True)
        acked: list[int] = []
        for row, result in zip(rows, results, strict=False):
            if isinstance(result, BaseException):
                error = error or result
                break
            acked.append(row["id"])
        if acked:
            # Only the prefix before the first failure is marked, so a key's events are
            # never marked out of order; anything after is sent again (same event id).
            if self._cluster.replaying:
                async with conn.transaction():  # the replay's progress moves with the marks
                    await _mark_published(conn, acked)
                    await self._cluster.advance(conn, rows[: len(acked)])
            else:
                await _mark_published(conn, acked)  # one statement: its own transaction
            now = datetime.now(UTC)
            lag = metrics.OUTBOX_LAG_SECONDS.labels(self._service)
            for row in rows[: len(acked)]:
                if row["published_at"] is None:
                    lag.observe((now - row["created_at"]).total_seconds())
            metrics.OUTBOX_PUBLISHED.labels(self._service).inc(len(acked))
        if error is not None:
            raise PublishFailed(f"{type(error).__name__}: {error}")
        return len(acked)

    async def _cluster_id(self) -> str | PublishFailed | None:
        """The broker's cluster id, or why it could not be had (returned, not raised, so
        that reading the batch alongside is never left running on the connection)."""
        try:
            return await self._cluster.current_id()
        except PublishFailed as exc:
            return exc

    def _new_cluster(self) -> None:
        """Every topic is to be checked again: the cluster may lack any of them."""
        self._topics_seen.clear()
        self._topics_to_check = True

    async def _known_topics(self, conn: asyncpg.Connection) -> set[str]:
        topics = set(self._required_topics)
        if self._topics_query is not None:
            topics |= {row[0] for row in await conn.fetch(self._topics_query)}
        return topics

    async def _ensure_topics(self, topics: set[str]) -> None:
        """Create those of ``topics`` the current cluster may lack (once per cluster)."""
        missing = topics - self._topics_seen
        if not missing:
            return
        try:
            await ensure_topics(self._settings, missing)
        except (KafkaError, OSError, RuntimeError) as exc:
            raise PublishFailed(f"topics {sorted(missing)}: {type(exc).__name__}: {exc}") from exc
        self._topics_seen |= missing

    async def _housekeeping(self, conn: asyncpg.Connection) -> None:
        """Prune published outbox rows, inbox records and idempotency keys past retention."""
        now = time.monotonic()
        if now < self._next_housekeeping:
            return
        self._next_housekeeping = now + self._settings.housekeeping_interval_s
        s = self._settings
        cutoffs = {
            "outbox": ("published_at", s.outbox_retention_hours, "id"),
            "inbox": ("handled_at", s.inbox_retention_hours, "ctid"),
            "idempotency_keys": ("created_at", s.idempotency_retention_hours, "ctid"),
        }
        for table, (column, hours, ident) in cutoffs.items():
            before = datetime.now(UTC) - timedelta(hours=hours)
            deleted = await prune(conn, table, column, ident, before)
            if deleted:
                log.info("pruned rows past retention", extra={"table": table, "rows": deleted})

    def _on_notify(self, *_: object) -> None:
        self._wakeup.set()

    def _set_leader(self, value: bool) -> None:
        self.is_leader = value
        metrics.OUTBOX_LEADER.labels(self._service).set(1 if value else 0)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)


async def prune(
    conn: asyncpg.Connection, table: str, column: str, ident: str, before: datetime
) -> int:
    """Delete rows older than ``before`` in chunks, so no long lock is ever held."""
    total = 0
    while True:
        status = await conn.execute(
            f"DELETE FROM {table} WHERE {ident} IN "  # noqa: S608 - names are ours, not input
            f"(SELECT {ident} FROM {table} WHERE {column} < $1 LIMIT 5000)",
            before,
        )
        deleted = int(status.split()[-1])
        total += deleted
        if deleted < 5000:
            return total


async def _mark_published(conn: asyncpg.Connection, ids: list[int]) -> None:
    """One UPDATE for the batch. A re-sent row keeps the time of its first publication:
    retention counts from there, as its consumers' inbox records do."""
    await conn.execute(
        "UPDATE outbox SET published_at = coalesce(published_at, now()) "
        "WHERE id = ANY($1::bigint[])",
        ids,
    )


def _row_to_event(row: asyncpg.Record) -> CloudEvent:
    return CloudEvent(
        id=str(row["event_id"]),
        source=row["source"],
        type=row["event_type"],
        time=row["event_time"],
        subject=row["subject"],
        data=row["payload"],
        traceparent=row["traceparent"],
        actor=row["actor"],
        partitionkey=row["partition_key"],
        originplatform=row["origin_platform"],
    )
