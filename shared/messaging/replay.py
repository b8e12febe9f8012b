"""What the outbox relay does when the broker lost its history.

A broker that lost its history (a Tansu with memory storage that restarted, a Kafka
cluster rebuilt from nothing) is a Kafka cluster with a new cluster id. The relay asks
the broker for its cluster id when it becomes the leader, before sending every batch (while
it reads the batch, when a commit woke it), and now and then while idle, and compares it
with the one it last published to, kept in
``outbox_relay_state``. The first id a database sees is only recorded. A different one
starts a *replay*: the rows the outbox still retains (published within the retention,
less a margin, or not yet published) are sent again in id order, with their original
event ids, before any row committed after the change was seen, so a key's events keep
their order and consumers' inboxes drop those they already handled. The replay's
progress is in the same table, so a new leader resumes it. Apache Kafka keeps its
cluster id for life, so it never replays spuriously.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from aiokafka.protocol.metadata import MetadataRequest

from shared.observability import metrics
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)

OUTBOX_COLUMNS = """id, event_id, topic, partition_key, event_type, source, subject, event_time,
       traceparent, actor, origin_platform, payload, created_at, published_at"""

SELECT_BATCH = f"""
SELECT {OUTBOX_COLUMNS}
FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1
"""  # noqa: S608 - no input in the statement

# While replaying: the replay's rows from the next one on (published or not, but none
# published before the window), and any row below them that committed late. Rows above
# the replay's last id wait until it is done. Two index scans, each stopping at the limit.
_SELECT_REPLAY_BATCH = f"""
(SELECT {OUTBOX_COLUMNS} FROM outbox
 WHERE id >= $2 AND id <= $3 AND (published_at IS NULL OR published_at >= $4)
 ORDER BY id LIMIT $1)
UNION ALL
(SELECT {OUTBOX_COLUMNS} FROM outbox WHERE published_at IS NULL AND id < $2 ORDER BY id LIMIT $1)
ORDER BY id LIMIT $1
"""  # noqa: S608 - no input in the statement

# Published rows younger than the retention less this margin are sent again in a replay.
# The margin covers the replay's own duration and clock differences between databases, so
# a re-sent event is still in every consumer's inbox (inbox retention >= outbox retention).
REPLAY_MARGIN = timedelta(hours=1)

# How often a relay with nothing to send asks for the cluster id (one small request).
IDLE_CLUSTER_CHECK_S = 5.0


class PublishFailed(Exception):
    """The broker did not acknowledge part of a batch; the rest stays queued."""


@dataclass
class _Replay:
    next_id: int
    last_id: int


class ClusterWatch:
    """The relay's knowledge of the cluster it publishes to, and the replay under way."""

    def __init__(self, settings: ServiceSettings, producer: AIOKafkaProducer) -> None:
        self._settings = settings
        self._producer = producer
        self._service = settings.service_name
        self._cluster_id: str | None = None  # the one last published to, as stored
        self._next_check = 0.0
        self._unknown_logged = False
        self._replay: _Replay | None = None
        self._replayed = 0

    def check_due(self) -> bool:
        """Whether an idle relay should look at the cluster id again."""
        return time.monotonic() >= self._next_check

    @property
    def replaying(self) -> bool:
        """Whether a replay is under way (its progress moves with each marked batch)."""
        return self._replay is not None

    async def load(self, conn: asyncpg.Connection) -> None:
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
        self._next_check = 0.0  # look before anything else

    async def fetch(self, conn: asyncpg.Connection) -> list[asyncpg.Record]:
        """The next rows to send, in id order."""
        limit = self._settings.outbox_batch_size
        if self._replay is not None:
            rows: list[asyncpg.Record] = await conn.fetch(
                _SELECT_REPLAY_BATCH,
                limit,
                self._replay.next_id,
                self._replay.last_id,
                self._cutoff(),
            )
            if any(row["id"] >= self._replay.next_id for row in rows):
                return rows
            await self._finish(conn)  # nothing of the replay's range is left
        result: list[asyncpg.Record] = await conn.fetch(SELECT_BATCH, limit)
        return result

    def _cutoff(self) -> datetime:
        """Rows published before this are not sent again (their consumers' inbox records
        may be gone)."""
        window = timedelta(hours=self._settings.outbox_retention_hours) - REPLAY_MARGIN
        return datetime.now(UTC) - max(window, timedelta(0))

    async def current_id(self) -> str | None:
        """The cluster id the broker reports (None if its metadata version has none); no
        database work, so it can run while the relay reads a batch. :meth:`changed`
        compares it."""
        self._next_check = time.monotonic() + IDLE_CLUSTER_CHECK_S
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
        if cluster_id is None and not self._unknown_logged:
            self._unknown_logged = True
            log.warning(
                "the broker reports no cluster id: a broker that lost its history will not "
                "be noticed, and events it lost will not be sent again"
            )
        return str(cluster_id) if cluster_id is not None else None

    async def changed(self, conn: asyncpg.Connection, current: str | None) -> bool:
        """Compare ``current`` (from :meth:`current_id`) with the stored cluster id; on a
        change, start a replay. True if a replay started (the batch must be fetched again,
        and the topics created on the new cluster)."""
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
        await self._start(conn, previous, current)
        return True

    async def _start(self, conn: asyncpg.Connection, previous: str, current: str) -> None:
        async with conn.transaction():
            first, last, published, queued = await conn.fetchrow(
                "SELECT min(id), max(id), count(*) FILTER (WHERE published_at IS NOT NULL), "
                "count(*) FILTER (WHERE published_at IS NULL) FROM outbox "
                "WHERE published_at IS NULL OR published_at >= $1",
                self._cutoff(),
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

    async def advance(self, conn: asyncpg.Connection, acked: list[asyncpg.Record]) -> None:
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
            await self._finish(conn)
            return
        await conn.execute(
            "UPDATE outbox_relay_state SET replay_next_id = $1, updated_at = now()",
            replay.next_id,
        )

    async def _finish(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            "UPDATE outbox_relay_state SET replay_next_id = NULL, replay_last_id = NULL, "
            "updated_at = now()"
        )
        self._replay = None
        log.warning(
            f"outbox replay finished: {self._replayed} published events sent again",
            extra={"republished": self._replayed},
        )
