"""Idempotent Kafka consumer with dead letters.

- Handlers are ``async def handler(event: SomeEvent, ctx: EventContext, uow: UnitOfWork)``,
  registered on an :class:`~shared.messaging.routing.EventRouter` by event model; the
  consumer commits the unit of work after the handler returns.
- The handled event's id goes into the ``inbox`` table in the same transaction as the
  handler's effect, so a redelivered event has no second effect.
- Offsets are committed manually, after the records before them were handled.
- A record that cannot be read, or whose handler keeps failing, goes to the group's
  dead-letter topic with the error, and the consumer carries on with the next record.
- Unknown event types are skipped: new types never break old consumers. A version of a
  type the group handles in another version (``….v2`` where it reads ``….v1``) is not
  new to it but unreadable by it: it goes to the dead-letter topic, to be re-driven once
  the consumer reads that version, rather than being lost to a skip.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from pydantic import ValidationError
from sqlalchemy import TextClause, text

from shared.db.infrastructure import InfrastructureTables
from shared.db.uow import UnitOfWork, acting_org
from shared.events.envelope import CloudEvent, MalformedEvent
from shared.events.schemas.base import EventData
from shared.events.topics import dead_letter_topic
from shared.messaging.routing import BatchHandler, EventContext, EventRouter, Handler
from shared.observability import metrics
from shared.observability.tracing import continue_trace, reset_trace
from shared.settings import ServiceSettings

__all__ = ["EventContext", "EventRouter", "IdempotentConsumer"]

log = logging.getLogger(__name__)


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
        self._claim_inbox = _claim_statement(tables.inbox.name)
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
            metrics.CONSUMER_PARTITIONS.labels(self._settings.service_name, self.group_id).set(
                len(consumer.assignment())
            )
            for tp, records in batches.items():
                await self._consume_partition(consumer, tp, records)
                if self._stopping.is_set():
                    break

    async def _consume_partition(
        self, consumer: AIOKafkaConsumer, tp: TopicPartition, records: list[ConsumerRecord]
    ) -> None:
        next_offset: int | None = None  # where this member resumes, once committed
        batch: list[_Delivery] = []
        try:
            for record in records:
                if self._stopping.is_set():
                    break
                item = self._read(record)
                if isinstance(item, _Delivery):
                    batch.append(item)
                elif item.reason == "ignored":
                    self._count(item.detail, "ignored")
                else:
                    # What came before a record to dead-letter is handled first.
                    await self._handle(batch)
                    batch = []
                    await self._dead_letter(record, item.reason, item.detail)
                next_offset = record.offset + 1
            await self._handle(batch)
        except _DeadLetterUnavailable as exc:
            # Come back to the record that could not be parked; what precedes it is done.
            log.warning("dead-lettering failed; will retry", extra={"error": str(exc)})
            consumer.seek(tp, exc.offset)
            next_offset = exc.offset
            await asyncio.sleep(1)
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

    def _read(self, record: ConsumerRecord) -> _Delivery | _Skip:
        """The record as an event for a handler, or why it has none."""
        try:
            event = CloudEvent.from_kafka(record.headers, record.value)
        except MalformedEvent as exc:
            return _Skip("malformed", str(exc))
        route = self._router.route(event.type)
        ctx = EventContext(event, record.topic, record.partition, record.offset)
        if route is not None:
            model, handler = route
            try:
                return _Delivery(model.model_validate(event.data), ctx, record, handler)
            except ValidationError as exc:
                return _Skip("invalid", f"{event.type}: {exc}")
        any_handler = self._router.route_any(record.topic)
        if any_handler is not None:
            return _Delivery(event, ctx, record, any_handler)
        batch_handler = self._router.route_any_batch(record.topic)
        if batch_handler is not None:
            return _Delivery(event, ctx, record, batch_handler=batch_handler)
        other = self._router.other_version(event.type)
        if other is not None:
            return _Skip("unsupported_version", f"{event.type}: this group reads {other}")
        return _Skip("ignored", event.type)

    async def _handle(self, batch: list[_Delivery]) -> None:
        """Handle a run of events of one partition, in order.

        Together first: one transaction claims them all in the inbox and runs their
        handlers (a backlog of a million events is a million fewer commits). If any
        handler fails, that transaction is rolled back as a whole and each event is
        handled on its own with retries, so a failing event never takes its neighbours'
        effects with it and still ends in the dead-letter topic."""
        if len(batch) > 1:
            try:
                outcomes = await self._handle_together(batch)
            except Exception as exc:  # noqa: BLE001 - retried one by one, logged there
                log.info(
                    "a handler failed inside a batch; handling its events one by one",
                    extra={"events": len(batch), "error": f"{type(exc).__name__}: {exc}"},
                )
            else:
                for item, outcome in zip(batch, outcomes, strict=True):
                    self._count(item.ctx.event.type, outcome)
                return
        for item in batch:
            await self._handle_alone(item)

    async def _handle_together(self, batch: list[_Delivery]) -> list[str]:
        outcomes: list[str] = []
        async with self._uow_factory() as uow:
            claimed = await self._claim(uow, [item.ctx.event for item in batch])
            run: list[_Delivery] = []  # consecutive events for one batch handler
            for item in batch:
                if item.ctx.event.id not in claimed:
                    outcomes.append("duplicate")
                    continue
                claimed.discard(item.ctx.event.id)  # a second copy in this batch is one too
                outcomes.append("handled")
                if run and item.batch_handler is not run[0].batch_handler:
                    await self._deliver(run, uow)
                    run = []
                run.append(item)
                if item.batch_handler is None:
                    await self._deliver(run, uow)
                    run = []
            await self._deliver(run, uow)
            await uow.commit()
        self.handled += outcomes.count("handled")
        return outcomes

    async def _handle_alone(self, item: _Delivery) -> None:
        attempts = self._settings.consumer_max_attempts
        event = item.ctx.event
        for attempt in range(1, attempts + 1):
            try:
                outcome = await self._handle_once(item)
                self._count(event.type, outcome)
                return
            except Exception as exc:
                if attempt == attempts:
                    log.exception("handler failed; event goes to the dead-letter topic")
                    await self._dead_letter(
                        item.record, "handler_failed", f"{type(exc).__name__}: {exc}"
                    )
                    return
                log.warning(
                    "handler failed; retrying",
                    extra={"event_id": event.id, "attempt": attempt, "error": str(exc)},
                )
                await asyncio.sleep(
                    self._settings.consumer_retry_backoff_ms / 1000 * 2 ** (attempt - 1)
                )

    async def _handle_once(self, item: _Delivery) -> str:
        async with self._uow_factory() as uow:
            if not await self._claim(uow, [item.ctx.event]):
                return "duplicate"
            await self._deliver([item], uow)
            await uow.commit()
        self.handled += 1
        return "handled"

    async def _deliver(self, run: list[_Delivery], uow: UnitOfWork) -> None:
        """One event to its handler, or consecutive events to their batch handler."""
        if not run:
            return
        first = run[0]
        with _acting_for(first.ctx.event, self._settings.service_name):
            if first.batch_handler is not None:
                await first.batch_handler([(i.ctx.event, i.ctx) for i in run], uow)
            elif first.handler is not None:
                await first.handler(first.data, first.ctx, uow)
        # What the handler staged in the session is visible to the next one's queries,
        # as it would be after a commit.
        await uow.session.flush()

    async def _claim(self, uow: UnitOfWork, events: list[CloudEvent]) -> set[str]:
        """Record the events in the inbox; the ids not recorded before (to handle now).

        One statement whose text never changes, the batch passed as two arrays: a
        multi-row VALUES would be compiled anew for every size of batch, which costs a
        backlog more than the insert itself."""
        claimed = await uow.session.execute(
            self._claim_inbox,
            {
                "group": self.group_id,
                "ids": [e.id for e in events],
                "types": [e.type for e in events],
            },
        )
        return set(claimed.scalars())

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
        # If the broker is away, the offset is not committed and the record comes back,
        # so nothing is lost between the topic and its dead-letter topic.
        try:
            await self._producer.send_and_wait(
                self.dead_letter_topic, value=record.value, key=record.key, headers=headers
            )
        except KafkaError as exc:
            raise _DeadLetterUnavailable(record.offset, str(exc)) from exc
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


def _claim_statement(inbox: str) -> TextClause:
    return text(
        f"INSERT INTO {inbox} (consumer_group, event_id, event_type)"  # noqa: S608 - a table name
        " SELECT :group, claimed.event_id, claimed.event_type"
        " FROM unnest(CAST(:ids AS varchar[]), CAST(:types AS varchar[]))"
        " AS claimed(event_id, event_type)"
        " ON CONFLICT DO NOTHING RETURNING event_id"
    )


@dataclass(frozen=True)
class _Delivery:
    """A record read as an event with a handler to take it."""

    data: EventData | CloudEvent
    ctx: EventContext
    record: ConsumerRecord
    handler: Handler | None = None
    batch_handler: BatchHandler | None = None


class _DeadLetterUnavailable(Exception):
    """The record at ``offset`` could not be sent to the dead-letter topic."""

    def __init__(self, offset: int, error: str) -> None:
        super().__init__(error)
        self.offset = offset


@dataclass(frozen=True)
class _Skip:
    """A record no handler takes: ignored (unknown type) or for the dead-letter topic."""

    reason: str  # ignored | malformed | invalid | unsupported_version
    detail: str


@contextlib.contextmanager
def _acting_for(event: CloudEvent, service_name: str) -> Iterator[None]:
    """Handle ``event`` in its trace, acting as the service itself."""
    trace = continue_trace(event.traceparent)
    actor = acting_org.set(f"system:{service_name}")
    try:
        yield
    finally:
        acting_org.reset(actor)
        reset_trace(trace)
