"""A service's dead letters as its operations API sees them: counted per consumer group,
and re-driven by one caller at a time across every instance of the service.

Re-driving reads the re-drive group's committed offsets, republishes what lies beyond
them, then commits. Those offsets alone do not keep two callers apart: the partitions
are assigned by hand, so the broker fences no one, and two callers that read the same
offsets before either commits would both republish the same records. The consumers
would still handle each record once (its id is in their inbox after the first), but the
reports would count it twice, and a record that parks again (a payload that cannot be
read has no id to remember) would be parked twice. So a re-drive holds a lock in the
service's database, which every instance of the service shares: a PostgreSQL advisory
lock for the duration of the transaction that wraps it. A second caller waits for the
first, then finds the offsets moved on and re-drives only what was parked since.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Sequence
from typing import TypeVar

from aiokafka.errors import KafkaError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.errors import InvalidRequest, ProblemError
from shared.messaging.redrive import (
    DeadLetterCount,
    RedriveReport,
    count_dead_letters,
    redrive,
    redrive_group,
)
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)

T = TypeVar("T")

# What a client is told to wait before asking again when the broker did not answer.
BROKER_RETRY_AFTER_S = 5


class BrokerUnavailable(ProblemError):
    status = 503
    slug = "broker-unavailable"
    title = "The message broker did not answer; try again later"


class RedriveInProgress(ProblemError):
    status = 409
    slug = "redrive-in-progress"
    title = "Another re-drive of this consumer group's dead letters is still running"


class DeadLetterDesk:
    """The dead letters of a service's consumer groups (``groups``, as the service names
    them: ``ServiceRuntime.consumer_groups``)."""

    def __init__(
        self,
        settings: ServiceSettings,
        engine: AsyncEngine,
        groups: Sequence[str],
        *,
        lock_wait_s: float = 60.0,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.groups = list(groups)
        self.lock_wait_s = lock_wait_s
        # One waiter per group in this process, so waiting callers do not each hold a
        # database connection.
        self._locks = {group: asyncio.Lock() for group in self.groups}

    def chosen(self, group: str | None) -> list[str]:
        """The groups a request names (all when ``None``); an unknown name is refused."""
        if group is None:
            return self.groups
        if group not in self.groups:
            takes = ", ".join(self.groups) or "none"
            raise InvalidRequest(
                f"group: this service has no consumer group {group!r}; its groups: {takes}",
                field="group",
            )
        return [group]

    async def counts(self) -> list[DeadLetterCount]:
        """Each group's dead letters and how many await re-driving."""
        return await self._on_broker(
            count_dead_letters(
                self.settings.kafka_bootstrap_servers,
                self.groups,
                request_timeout_ms=self.settings.kafka_request_timeout_ms,
            ),
            # Each request is bounded by the request timeout; a few of them in a row
            # (bootstrap, metadata, offsets) by a little more.
            limit_s=2 * self.settings.kafka_request_timeout_ms / 1000,
        )

    async def redrive(self, group: str | None = None) -> RedriveReport:
        """Re-drive the dead letters of ``group`` (every group when ``None``), one group
        at a time, each under its lock; the counts are summed per original topic."""
        by_topic: dict[str, int] = {}
        for name in self.chosen(group):
            report = await self._redrive_locked(name)
            for topic, count in report.by_topic.items():
                by_topic[topic] = by_topic.get(topic, 0) + count
        return RedriveReport(sum(by_topic.values()), by_topic)

    async def _redrive_locked(self, group: str) -> RedriveReport:
        async with self._locks[group], self.engine.connect() as conn, conn.begin():
            # lock_timeout bounds the wait for the advisory lock as for any other.
            await conn.execute(text(f"SET LOCAL lock_timeout = '{int(self.lock_wait_s * 1000)}ms'"))
            try:
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(group)}
                )
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) == "55P03":  # lock_not_available
                    raise RedriveInProgress(
                        f"group: the dead letters of {group} are being re-driven by another "
                        "caller; ask again when it has finished",
                        field="group",
                    ) from exc
                raise
            report = await self._on_broker(
                redrive(
                    self.settings.kafka_bootstrap_servers,
                    group,
                    request_timeout_ms=self.settings.kafka_request_timeout_ms,
                )
            )
        if report.redriven:
            log.warning(
                "dead letters re-driven",
                extra={"group": group, "redriven": report.redriven, "by_topic": report.by_topic},
            )
        return report

    async def _on_broker(self, work: Awaitable[T], limit_s: float | None = None) -> T:
        """``work``'s result; a broker that refuses, drops or does not answer the
        connection (within ``limit_s``, when given) is a 503 ``broker-unavailable``."""
        try:
            return await (work if limit_s is None else asyncio.wait_for(work, limit_s))
        except (KafkaError, OSError, TimeoutError) as exc:
            log.warning("broker unavailable to the operations API", extra={"error": repr(exc)})
            raise BrokerUnavailable(
                f"the broker at {self.settings.kafka_bootstrap_servers} did not answer "
                f"({type(exc).__name__}); ask again in a few seconds",
                retry_after=BROKER_RETRY_AFTER_S,
            ) from exc


def _lock_key(group: str) -> int:
    """A signed 64-bit advisory-lock key for the group's re-drive (its own namespace: the
    re-drive group's name)."""
    digest = hashlib.blake2b(redrive_group(group).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
