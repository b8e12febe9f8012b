"""Bootstrap of one service process: engine, producer, outbox relay, consumers, app.

Every service's ``main.py`` builds a :class:`ServiceRuntime` with its own tables,
migrations and event routes, and hands it to :func:`shared.http.app.create_http_app`.
The lifespan applies migrations, creates topics, starts the producer, the relay and
the consumers, and stops all of them within bounded time on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from sqlalchemy import text

from shared.clock import Clock, clock_for
from shared.db.engine import (
    asyncpg_dsn,
    create_engine,
    create_read_pool,
    create_session_factory,
)
from shared.db.idempotency import ResponseSealer
from shared.db.infrastructure import InfrastructureTables
from shared.db.migrations import upgrade_to_head
from shared.db.uow import UnitOfWork
from shared.events.topics import dead_letter_topic
from shared.messaging.consumer import EventRouter, IdempotentConsumer
from shared.messaging.kafka import create_producer, ensure_topics
from shared.messaging.outbox import OutboxRelay
from shared.observability.logging import configure_logging
from shared.settings import ServiceSettings
from shared.workers import PeriodicWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsumerSpec:
    """One consumer group of a service and the events it handles."""

    group_id: str
    router: EventRouter
    extra_topics: frozenset[str] = field(default_factory=frozenset)
    wakes: frozenset[str] = field(default_factory=frozenset)
    """Names of the service's workers woken each time a handler's unit of work commits
    (webhooks' delivery dispatcher, when the consumer has staged new deliveries)."""


WorkerFactory = Callable[["ServiceRuntime"], PeriodicWorker]

Extras = TypeVar("Extras")


class ServiceRuntime:
    def __init__(
        self,
        settings: ServiceSettings,
        *,
        tables: InfrastructureTables,
        migrations_dir: Path,
        publishes: set[str],
        consumers: list[ConsumerSpec] | None = None,
        workers: list[WorkerFactory] | None = None,
        read_pool_settings: dict[str, str] | None = None,
        topics_query: str | None = None,
        response_sealer: ResponseSealer | None = None,
        extras: object = None,
        clock: Clock | None = None,
    ) -> None:
        """``read_pool_settings``: PostgreSQL session settings of the read-only asyncpg
        pools for hot read paths (``{}`` for none in particular): ``read_pool`` plans
        each statement for its values, ``generic_read_pool`` reuses one plan per
        statement (``shared.db.engine.create_read_pool``). Without it, no such pools.

        ``topics_query``: SQL giving the names of topics the service publishes to besides
        ``publishes``, kept in its database (pledge: each bank's topic); the outbox relay
        creates them again on a broker that lost them.

        ``response_sealer``: for a service whose answers carry secrets, encrypts the
        answers kept for Idempotency-Key replays (``shared.http.idempotency``).

        ``extras``: the service's own long-lived objects (an outbound HTTP client, a key
        box), one object of a class of the service's; read it back with
        :meth:`extras_of`.

        ``clock``: what time the rules see; by default the one the settings ask for
        (``shared.clock``)."""
        self.settings = settings
        self.tables = tables
        configured = settings.migrations_dir
        self.migrations_dir = Path(configured) if configured else migrations_dir
        self.publishes = set(publishes)
        self.topics_query = topics_query
        self.consumer_specs = consumers or []
        self.engine = create_engine(settings.database_url, settings.database_pool_size)
        self.session_factory = create_session_factory(self.engine)
        self.read_pool_settings = read_pool_settings
        self.response_sealer = response_sealer
        self.read_pool: asyncpg.Pool | None = None
        self.generic_read_pool: asyncpg.Pool | None = None
        self.source = f"/ipmarket/{settings.service_name}"
        self.producer: AIOKafkaProducer | None = None
        self.relay: OutboxRelay | None = None
        self.consumers: list[IdempotentConsumer] = []
        self.worker_factories = workers or []
        self.workers: dict[str, PeriodicWorker] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.extras = extras
        self.clock = clock or clock_for(settings.clock_file)

    def extras_of(self, kind: type[Extras]) -> Extras:
        """The service's extras, checked to be a ``kind``."""
        if not isinstance(self.extras, kind):
            raise TypeError(f"this runtime's extras are {type(self.extras).__name__}, not {kind}")
        return self.extras

    def uow(self, wakes: Iterable[str] = ()) -> UnitOfWork:
        """A new unit of work on this service's database; its commit tells the outbox relay
        and wakes the named workers."""
        woken = list(wakes)

        def committed() -> None:
            if self.relay is not None:
                self.relay.notify()
            for name in woken:
                self.wake(name)

        return UnitOfWork(
            self.session_factory, self.tables, self.source, on_commit=committed, clock=self.clock
        )

    def wake(self, name: str) -> None:
        """Wake the worker called ``name`` (nothing when it is not running)."""
        worker = self.workers.get(name)
        if worker is not None:
            worker.wake()

    def group_id(self, spec: ConsumerSpec) -> str:
        """The spec's group, with the service's ``ipmarket-<service>`` part replaced by the
        configured override (a second group of listing, ``ipmarket-listing-timeline``,
        becomes ``<override>-timeline``)."""
        override = self.settings.kafka_consumer_group
        if not override:
            return spec.group_id
        base = f"ipmarket-{self.settings.service_name}"
        suffix = spec.group_id.removeprefix(base) if spec.group_id.startswith(base) else ""
        return override + (suffix or ("" if spec.group_id == base else f"-{spec.group_id}"))

    def consumer_groups(self) -> list[str]:
        """The consumer groups this service runs, as configured (:meth:`group_id`), in the
        order its consumers are declared."""
        return [self.group_id(spec) for spec in self.consumer_specs]

    def topics(self) -> set[str]:
        wanted = set(self.publishes)
        for spec in self.consumer_specs:
            wanted |= (
                spec.router.topics | spec.extra_topics | {dead_letter_topic(self.group_id(spec))}
            )
        return wanted

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Any = None) -> AsyncIterator[None]:
        s = self.settings
        configure_logging(s.service_name, s.log_level, s.log_json)
        await asyncio.to_thread(upgrade_to_head, self.migrations_dir, s.database_url)
        if self.read_pool_settings is not None:
            self.read_pool, self.generic_read_pool = [
                await create_read_pool(
                    s.database_url,
                    s.database_pool_size,
                    self.read_pool_settings,
                    generic_plans=generic,
                )
                for generic in (False, True)
            ]
        await self._retry_broker("create topics", lambda: ensure_topics(s, self.topics()))
        self.producer = create_producer(s)
        await self._retry_broker("start producer", self.producer.start)
        self.relay = OutboxRelay(
            s,
            asyncpg_dsn(s.database_url),
            self.producer,
            topics=self.topics(),
            topics_query=self.topics_query,
        )
        self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        for spec in self.consumer_specs:
            consumer = IdempotentConsumer(
                settings=s,
                group_id=self.group_id(spec),
                router=spec.router,
                uow_factory=functools.partial(self.uow, spec.wakes),
                tables=self.tables,
                producer=self.producer,
                topics=spec.router.topics | set(spec.extra_topics),
            )
            await self._retry_broker(f"start consumer {consumer.group_id}", consumer.start)
            self.consumers.append(consumer)
            self._tasks.append(asyncio.create_task(consumer.run(), name=consumer.group_id))
        for factory in self.worker_factories:
            worker = factory(self)
            if worker.name in self.workers:
                raise ValueError(f"two workers are called {worker.name!r}")
            self.workers[worker.name] = worker
            self._tasks.append(asyncio.create_task(worker.run(), name=worker.name))
        log.info("service started", extra={"topics": sorted(self.topics())})
        try:
            yield
        finally:
            await self.shutdown()

    async def shutdown(self) -> None:
        timeout = self.settings.shutdown_timeout_s
        for worker in self.workers.values():
            worker.stop()
        for consumer in self.consumers:
            consumer.stop()
        if self.relay is not None:
            self.relay.stop()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=timeout)
            for task in pending:
                task.cancel()
        for consumer in self.consumers:
            await consumer.close()
        if self.producer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.producer.stop(), timeout=timeout)
        for pool in (self.read_pool, self.generic_read_pool):
            if pool is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(pool.close(), timeout=timeout)
        self.read_pool = self.generic_read_pool = None
        await self.engine.dispose()
        self.consumers, self.workers, self._tasks = [], {}, []
        log.info("service stopped")

    async def readiness(self) -> dict[str, str]:
        """What /health/ready reports: each dependency is ``ok`` or says what is wrong."""
        checks: dict[str, str] = {}
        try:
            async with self.engine.connect() as conn:
                await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=2)
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            checks["database"] = f"unreachable: {type(exc).__name__}"
        if self.producer is None:
            checks["broker"] = "not started"
        else:
            try:
                ok = await asyncio.wait_for(self.producer.client.force_metadata_update(), 2)
                checks["broker"] = "ok" if ok else "unreachable"
            except Exception as exc:  # noqa: BLE001
                checks["broker"] = f"unreachable: {type(exc).__name__}"
        return checks

    async def _retry_broker(self, what: str, action: Callable[[], Any]) -> None:
        """The broker may come up after us (compose, k8s): retry for a while, then fail."""
        deadline = asyncio.get_running_loop().time() + 60
        while True:
            try:
                await action()
                return
            except (KafkaError, OSError) as exc:
                if asyncio.get_running_loop().time() > deadline:
                    raise
                log.warning(f"cannot {what} yet; retrying", extra={"error": str(exc)})
                await asyncio.sleep(1)


def serve(app: Any, settings: ServiceSettings) -> None:
    """Run one service with uvicorn (the ``python -m <service>`` entry point)."""
    import uvicorn

    # What start-up loaded (modules, schemas, table metadata) lives as long as the
    # process. Frozen, it is no longer walked by every full collection, which under load
    # came often and stopped the process each time.
    gc.collect()
    gc.freeze()
    # Bulk work (an upload's batch of thousands of rows, a consumer's batch of events)
    # allocates millions of short-lived objects while the batch itself stays alive; at the
    # default thresholds the collector walked that batch again every few thousand
    # allocations. Collect the young generation every 50,000 allocations instead.
    gc.set_threshold(50_000, 20, 100)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.shutdown_timeout_s),
    )
