"""Idempotent Kafka consumer with dead letters.

- Handlers are ``async def handler(event: SomeEvent, ctx: EventContext, uow: UnitOfWork)``,
  registered on an :class:`EventRouter` by event model; the consumer commits the unit of
  work after the handler returns.
- The handled event's id goes into the ``inbox`` table in the same transaction as the
  handler's effect, so a redelivered event has no second effect.
- Offsets are committed manually, after the records before them were handled.
- A record that cannot be read, or whose handler keeps failing, goes to the group's
  dead-letter topic with the error, and the consumer carries on with the next record.
- Unknown event types are skipped: new types never break old consumers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared.db.infrastructure import InfrastructureTables
from shared.db.uow import UnitOfWork, acting_org
from shared.events.envelope import CloudEvent, MalformedEvent
from shared.events.schemas.base import EventData
from shared.events.topics import dead_letter_topic
from shared.observability import metrics
from shared.observability.tracing import continue_trace, reset_trace
from shared.settings import ServiceSettings

log = logging.getLogger(__name__)

E = TypeVar("E", bound=EventData)


@dataclass(frozen=True)
class EventContext:
    """Where an event came from, for handlers that need more than its data."""

    event: CloudEvent
    topic: str
    partition: int
    offset: int


Handler = Callable[[Any, EventContext, UnitOfWork], Awaitable[None]]


class EventRouter:
    """Maps event types to handlers; the topics to subscribe follow from the models."""

    def __init__(self) -> None:
        self._routes: dict[str, tuple[type[EventData], Handler]] = {}
        self._any: dict[str, Handler] = {}

    def on(
        self, model: type[E]
    ) -> Callable[
        [Callable[[E, EventContext, UnitOfWork], Awaitable[None]]],
        Callable[[E, EventContext, UnitOfWork], Awaitable[None]],
    ]:
        def register(
            fn: Callable[[E, EventContext, UnitOfWork], Awaitable[None]],
        ) -> Callable[[E, EventContext, UnitOfWork], Awaitable[None]]:
            if model.event_type in self._routes:
                raise ValueError(f"{model.event_type} already has a handler")
            self._routes[model.event_type] = (model, fn)
            return fn

        return register

    def on_any(
        self, topic: str
    ) -> Callable[
        [Callable[[CloudEvent, EventContext, UnitOfWork], Awaitable[None]]],
        Callable[[CloudEvent, EventContext, UnitOfWork], Awaitable[None]],
    ]:
        """Handle every event of ``topic`` that has no typed handler, as a raw CloudEvent
        (for relays such as webhook delivery, which forward events they need not read)."""

        def register(
            fn: Callable[[CloudEvent, EventContext, UnitOfWork], Awaitable[None]],
        ) -> Callable[[CloudEvent, EventContext, UnitOfWork], Awaitable[None]]:
            self._any[topic] = fn
            return fn

        return register

    def route(self, event_type: str) -> tuple[type[EventData], Handler] | None:
        return self._routes.get(event_type)

    def route_any(self, topic: str) -> Handler | None:
        return self._any.get(topic)

    @property
    def topics(self) -> set[str]:
        return {model.topic for model, _ in self._routes.values()} | set(self._any)


class IdempotentConsumer:
    """One consumer-group member; run :meth:`run` as a task, :meth:`stop` to end it."""

    def __init__(
        self,
        *,
        settings: ServiceSettings,
        group_id: str,
        router: EventRouter,
        uow_factory: Callable[[], UnitOfWork],
        tables: InfrastructureTables,
        producer: AIOKafkaProducer,
        topics: set[str] | None = None,
    ) -> None:
        self._settings = settings
        self.group_id = group_id
        self._router = router
        self._uow_factory = uow_factory
        self._inbox = tables.inbox
        self._producer = producer
        self.topics = sorted(topics or router.topics)
        self.dead_letter_topic = dead_letter_topic(group_id)
        self._stopping = asyncio.Event()
        self._consumer: AIOKafkaConsumer | None = None
        self.handled = 0

    async def start(self) -> None:
        s = self._settings
        self._consumer = AIOKafkaConsumer(
            *self.topics,
            bootstrap_servers=s.kafka_bootstrap_servers,
            group_id=self.group_id,
            client_id=f"ipmarket-{s.service_name}-consumer",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            session_timeout_ms=s.kafka_session_timeout_ms,
            heartbeat_interval_ms=s.kafka_heartbeat_interval_ms,
            fetch_max_wait_ms=s.kafka_fetch_max_wait_ms,
            request_timeout_ms=max(s.kafka_request_timeout_ms, s.kafka_session_timeout_ms + 5000),
        )
        await self._consumer.start()

    def stop(self) -> None:
        self._stopping.set()

    async def close(self) -> None:
        """Leave the group; bounded, because a vanished broker can make this hang."""
        if self._consumer is None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._consumer.stop(), timeout=self._settings.shutdown_timeout_s)
        self._consumer = None

    async def run(self) -> None:
        consumer = self._consumer
        if consumer is None:
            raise RuntimeError("start() the consumer first")
        while not self._stopping.is_set():
            try:
                batches = await consumer.getmany(timeout_ms=200, max_records=200)
            except KafkaError as exc:
                log.warning("fetch failed; retrying", extra={"error": str(exc)})
                await asyncio.sleep(1)
                continue
            for tp, records in batches.items():
                await self._consume_partition(consumer, tp, records)
                if self._stopping.is_set():
                    break

    async def _consume_partition(
        self, consumer: AIOKafkaConsumer, tp: TopicPartition, records: list[ConsumerRecord]
    ) -> None:
        next_offset: int | None = None
        for record in records:
            if self._stopping.is_set():
                break
            try:
                await self._process(record)
            except KafkaError as exc:
                # The dead-letter topic is unreachable: come back to this record later.
                log.warning("dead-lettering failed; will retry", extra={"error": str(exc)})
                consumer.seek(tp, record.offset)
                await asyncio.sleep(1)
                break
            next_offset = record.offset + 1
        if next_offset is None:
            return
        try:
            await consumer.commit({tp: next_offset})
        except (CommitFailedError, KafkaError) as exc:
            # The partition moved to another member during a rebalance: it will see these
            # records again and the inbox turns them into no-ops.
            log.warning(
                "offset commit failed", extra={"error": str(exc), "partition": tp.partition}
            )

    async def _process(self, record: ConsumerRecord) -> None:
        try:
            event = CloudEvent.from_kafka(record.headers, record.value)
        except MalformedEvent as exc:
            await self._dead_letter(record, "malformed", str(exc))
            return
        route = self._router.route(event.type)
        data: EventData | CloudEvent
        if route is not None:
            model, handler = route
            try:
                data = model.model_validate(event.data)
            except ValidationError as exc:
                await self._dead_letter(record, "invalid", f"{event.type}: {exc}")
                return
        else:
            any_handler = self._router.route_any(record.topic)
            if any_handler is None:
                self._count(event.type, "ignored")
                return
            handler, data = any_handler, event
        ctx = EventContext(event, record.topic, record.partition, record.offset)
        attempts = self._settings.consumer_max_attempts
        for attempt in range(1, attempts + 1):
            trace = continue_trace(event.traceparent)
            actor = acting_org.set(f"system:{self._settings.service_name}")
            try:
                outcome = await self._handle_once(data, ctx, handler)
                self._count(event.type, outcome)
                return
            except Exception as exc:
                if attempt == attempts:
                    log.exception("handler failed; event goes to the dead-letter topic")
                    await self._dead_letter(
                        record, "handler_failed", f"{type(exc).__name__}: {exc}"
                    )
                    return
                log.warning(
                    "handler failed; retrying",
                    extra={"event_id": event.id, "attempt": attempt, "error": str(exc)},
                )
                await asyncio.sleep(
                    self._settings.consumer_retry_backoff_ms / 1000 * 2 ** (attempt - 1)
                )
            finally:
                acting_org.reset(actor)
                reset_trace(trace)

    async def _handle_once(
        self, data: EventData | CloudEvent, ctx: EventContext, handler: Handler
    ) -> str:
        async with self._uow_factory() as uow:
            claimed = await uow.session.execute(
                pg_insert(self._inbox)
                .values(
                    consumer_group=self.group_id, event_id=ctx.event.id, event_type=ctx.event.type
                )
                .on_conflict_do_nothing()
                .returning(self._inbox.c.event_id)
            )
            if claimed.first() is None:
                return "duplicate"
            await handler(data, ctx, uow)
            await uow.commit()
        self.handled += 1
        return "handled"

    async def _dead_letter(self, record: ConsumerRecord, reason: str, error: str) -> None:
        headers = list(record.headers or ())
        headers += [
            ("dlq-original-topic", record.topic.encode()),
            ("dlq-original-partition", str(record.partition).encode()),
            ("dlq-original-offset", str(record.offset).encode()),
            ("dlq-consumer-group", self.group_id.encode()),
            ("dlq-reason", reason.encode()),
            ("dlq-error", error[:4000].encode()),
            ("dlq-failed-at", datetime.now(UTC).isoformat().encode()),
        ]
        # Raises if the broker is away: the offset is then not committed and the record
        # comes back, so nothing is lost between the topic and its dead-letter topic.
        await self._producer.send_and_wait(
            self.dead_letter_topic, value=record.value, key=record.key, headers=headers
        )
        event_type = dict(record.headers or ()).get("ce_type", b"unknown").decode(errors="replace")
        self._count(event_type, "dead_lettered")
        log.warning(
            "event sent to the dead-letter topic",
            extra={"topic": self.dead_letter_topic, "reason": reason, "error": error[:500]},
        )

    def _count(self, event_type: str, outcome: str) -> None:
        metrics.EVENTS_CONSUMED.labels(
            self._settings.service_name, self.group_id, event_type, outcome
        ).inc()
