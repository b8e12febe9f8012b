"""The outbox relay: ships committed outbox rows to Kafka, in commit order, at least once.

One relay is active per service at a time: it holds a Postgres advisory lock on a
dedicated connection (the lease) and the other instances stand by, retrying the lock.
A SKIP LOCKED relay on several instances would reorder a key's events; the lease does
not. If the leader dies its connection closes, the lock is released and a standby takes
over; rows it had sent but not yet marked are sent again with the same event id, which
consumers deduplicate.

Rows are marked published only after the broker acknowledged them (acks=all). While
the broker is unreachable nothing is marked, and everything is sent when it is back.

A broker that lost its history (a Tansu with memory storage that restarted, a Kafka
cluster rebuilt from nothing) is a Kafka cluster with a new cluster id. When it becomes
the leader, before every batch, and now and then while idle, the relay asks the broker for
its cluster id and compares it with the one it last published to, kept in
``outbox_relay_state``. The first id a database sees is only
recorded. A different one starts a *replay*: the rows the outbox still retains
(published within the retention, less a margin, or not yet published) are sent again in
id order, with their original event ids, before any row committed after the change was
seen, so a key's events keep their order and consumers' inboxes drop those they already
handled. The replay's progress is in the same table, so a new leader resumes it. Apache
Kafka keeps its cluster id for life, so it never replays spuriously. The topics the
service needs (and those its database names, such as the banks' topics) are created again
when the relay becomes the leader or finds a new cluster, and each topic a batch goes to
is created first if the cluster lacks it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from aiokafka.protocol.metadata import MetadataRequest

from shared.db.migrations import advisory_key
from shared.db.uow import OUTBOX_CHANNEL
from shared.events.envelope import CloudEvent, encode_data
from shared.messaging.kafka import ensure_topics
from shared.observability import metrics
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)

_COLUMNS = """id, event_id, topic, partition_key, event_type, source, subject, event_time,
       traceparent, actor, origin_platform, payload, created_at, published_at"""

_SELECT_BATCH = f"""
SELECT {_COLUMNS}
FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1
"""  # noqa: S608 - no input in the statement

# While replaying: the replay's rows from the next one on (published or not, but none
# published before the window), and any row below them that committed late. Rows above
# the replay's last id wait until it is done. Two index scans, each stopping at the limit.
_SELECT_REPLAY_BATCH = f"""
(SELECT {_COLUMNS} FROM outbox
 WHERE id >= $2 AND id <= $3 AND (published_at IS NULL OR published_at >= $4)
 ORDER BY id LIMIT $1)
UNION ALL
(SELECT {_COLUMNS} FROM outbox WHERE published_at IS NULL AND id < $2 ORDER BY id LIMIT $1)
ORDER BY id LIMIT $1
"""  # noqa: S608 - no input in the statement

# Published rows younger than the retention less this margin are sent again in a replay.
# The margin covers the replay's own duration and clock differences between databases, so
# a re-sent event is still in every consumer's inbox (inbox retention >= outbox retention).
REPLAY_MARGIN = timedelta(hours=1)

# How often a relay with nothing to send asks for the cluster id (one small request).
IDLE_CLUSTER_CHECK_S = 5.0


@dataclass
class _Replay:
    next_id: int
    last_id: int


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
        self._cluster_id: str | None = None  # the one last published to, as stored
        self._next_cluster_check = 0.0
        self._cluster_id_unknown_logged = False
        self._replay: _Replay | None = None
        self._replayed = 0
        self._topics_seen: set[str] = set()  # known to exist on the current cluster
        self.is_leader = False

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
        await self._load_state(conn)
        log.info("outbox relay is the leader for this service")
        failures = 0
        while not self._stopping.is_set():
            self._wakeup.clear()
            try:
                sent = await self._publish_batch(conn)
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
                continue
            await self._housekeeping(conn)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._wakeup.wait(), timeout=self._settings.outbox_poll_interval_ms / 1000
                )

    async def _publish_batch(self, conn: asyncpg.Connection) -> int:
        rows = await self._fetch(conn)
        # Nothing goes to a cluster before it is known to be the one last published to;
        # an idle relay looks too, so that what consumers lost is sent again unprompted.
        if rows or time.monotonic() >= self._next_cluster_check:
            try:
                changed = await self._cluster_changed(conn)
            except PublishFailed:
                if rows:
                    raise
                return 0  # idle: the next batch reports an unreachable broker
            if changed:
                rows = await self._fetch(conn)
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
            # A re-sent row keeps the time of its first publication: retention counts
            # from there, as its consumers' inbox records do.
            async with conn.transaction():
                await conn.execute(
                    "UPDATE outbox SET published_at = coalesce(published_at, now()) "
                    "WHERE id = ANY($1::bigint[])",
                    acked,
                )
                await self._advance_replay(conn, rows[: len(acked)])
            now = datetime.now(UTC)
            for row in rows[: len(acked)]:
                if row["published_at"] is None:
                    metrics.OUTBOX_LAG_SECONDS.labels(self._service).observe(
                        (now - row["created_at"]).total_seconds()
                    )
            metrics.OUTBOX_PUBLISHED.labels(self._service).inc(len(acked))
        if error is not None:
            raise PublishFailed(f"{type(error).__name__}: {error}")
        return len(acked)

    async def _fetch(self, conn: asyncpg.Connection) -> list[asyncpg.Record]:
        """The next rows to send, in id order."""
        limit = self._settings.outbox_batch_size
        if self._replay is not None:
            rows: list[asyncpg.Record] = await conn.fetch(
                _SELECT_REPLAY_BATCH,
                limit,
                self._replay.next_id,
                self._replay.last_id,
                self._replay_cutoff(),
            )
            if any(row["id"] >= self._replay.next_id for row in rows):
                return rows
            await self._finish_replay(conn)  # nothing of the replay's range is left
        result: list[asyncpg.Record] = await conn.fetch(_SELECT_BATCH, limit)
        return result

    def _replay_cutoff(self) -> datetime:
        """Rows published before this are not sent again (their consumers' inbox records
        may be gone)."""
        window = timedelta(hours=self._settings.outbox_retention_hours) - REPLAY_MARGIN
        return datetime.now(UTC) - max(window, timedelta(0))

    async def _load_state(self, conn: asyncpg.Connection) -> None:
        """What the previous leader knew: the cluster last published to, a replay."""
        row = await conn.fetchrow(
            "SELECT cluster_id, replay_next_id, replay_last_id FROM outbox_relay_state"
        )
        self._cluster_id = row["cluster_id"] if row else None
        self._replay = None
        if row and row["replay_next_id"] is not None and row["replay_last_id"] is not None:
            self._replay = _Replay(row["replay_next_id"], row["replay_last_id"])
            log.warning(
                "resuming the replay of the outbox to a broker that lost its history",
                extra={"next_id": self._replay.next_id, "last_id": self._replay.last_id},
            )
        self._topics_seen.clear()
        self._topics_to_check = True
        self._next_cluster_check = 0.0  # look before anything else

    async def _current_cluster_id(self) -> str | None:
        """The cluster id the broker reports (None if its metadata version has none)."""
        client = self._producer.client
        timeout = self._settings.kafka_request_timeout_ms / 1000
        try:
            node = client.get_random_node()
            if node is None:
                await asyncio.wait_for(client.force_metadata_update(), timeout)
                node = client.get_random_node()
            if node is None:
                raise PublishFailed("the broker reports no nodes")
            # An empty topic list asks for the cluster alone.
            response = await asyncio.wait_for(client.send(node, MetadataRequest([])), timeout)
        except (KafkaError, OSError) as exc:  # TimeoutError is an OSError
            raise PublishFailed(f"cluster id: {type(exc).__name__}: {exc}") from exc
        cluster_id = getattr(response, "cluster_id", None)
        if cluster_id is None and not self._cluster_id_unknown_logged:
            self._cluster_id_unknown_logged = True
            log.warning(
                "the broker reports no cluster id: a broker that lost its history will not "
                "be noticed, and events it lost will not be sent again"
            )
        return str(cluster_id) if cluster_id is not None else None

    async def _cluster_changed(self, conn: asyncpg.Connection) -> bool:
        """Compare the broker's cluster id with the stored one; on a change, start a
        replay. True if a replay started (the batch must be fetched again)."""
        self._next_cluster_check = time.monotonic() + IDLE_CLUSTER_CHECK_S
        current = await self._current_cluster_id()
        if current is None or current == self._cluster_id:
            return False
        previous = self._cluster_id
        if previous is None:
            # The first cluster this database publishes to: nothing to repair.
            await conn.execute(
                "INSERT INTO outbox_relay_state (id, cluster_id) VALUES (1, $1) "
                "ON CONFLICT (id) DO UPDATE SET cluster_id = excluded.cluster_id, "
                "updated_at = now()",
                current,
            )
            self._cluster_id = current
            log.info("outbox relay publishes to Kafka cluster", extra={"cluster_id": current})
            return False
        await self._start_replay(conn, previous, current)
        return True

    async def _start_replay(self, conn: asyncpg.Connection, previous: str, current: str) -> None:
        async with conn.transaction():
            first, last, published, queued = await conn.fetchrow(
                "SELECT min(id), max(id), count(*) FILTER (WHERE published_at IS NOT NULL), "
                "count(*) FILTER (WHERE published_at IS NULL) FROM outbox "
                "WHERE published_at IS NULL OR published_at >= $1",
                self._replay_cutoff(),
            )
            await conn.execute(
                "UPDATE outbox_relay_state SET cluster_id = $1, replay_next_id = $2, "
                "replay_last_id = $3, updated_at = now()",
                current,
                first,
                last,
            )
        self._cluster_id = current
        self._replay = _Replay(first, last) if first is not None else None
        self._replayed = 0
        self._topics_seen.clear()
        self._topics_to_check = True
        log.warning(
            "the broker lost its history (a new Kafka cluster id): sending the retained "
            f"outbox again, {published} published and {queued} queued events, before new ones",
            extra={
                "previous_cluster_id": previous,
                "cluster_id": current,
                "republished": published,
                "queued": queued,
                "first_id": first,
                "last_id": last,
            },
        )

    async def _advance_replay(self, conn: asyncpg.Connection, acked: list[asyncpg.Record]) -> None:
        """Move the replay past the acknowledged rows (in the transaction marking them)."""
        replay = self._replay
        if replay is None:
            return
        resent = [row for row in acked if row["id"] >= replay.next_id]
        if not resent:
            return
        again = sum(1 for row in resent if row["published_at"] is not None)
        self._replayed += again
        metrics.OUTBOX_REPLAYED.labels(self._service).inc(again)
        replay.next_id = max(row["id"] for row in resent) + 1
        if replay.next_id > replay.last_id:
            await self._finish_replay(conn)
            return
        await conn.execute(
            "UPDATE outbox_relay_state SET replay_next_id = $1, updated_at = now()",
            replay.next_id,
        )

    async def _finish_replay(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            "UPDATE outbox_relay_state SET replay_next_id = NULL, replay_last_id = NULL, "
            "updated_at = now()"
        )
        self._replay = None
        log.warning(
            f"outbox replay finished: {self._replayed} published events sent again",
            extra={"republished": self._replayed},
        )

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


class PublishFailed(Exception):
    """The broker did not acknowledge part of a batch; the rest stays queued."""


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
