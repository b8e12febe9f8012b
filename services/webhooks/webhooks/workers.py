"""Webhooks' periodic workers: the delivery engine, ``deliveries``.

The :class:`Dispatcher` runs in every webhooks instance. Each poll it looks for
endpoints with deliveries due and starts one worker per endpoint, after taking that
endpoint's lease in the database (so across instances exactly one worker serves an
endpoint; a crashed instance's lease expires and another takes over). A slow or
failing endpoint therefore only ever holds up its own worker.

A worker sends, for its endpoint, the oldest due delivery of each ordering key (the
publishing service and the patent): a later event about a patent waits while an
earlier one is still pending, so one service's events about one patent arrive in
order. Up to ``endpoint_concurrency`` deliveries of different keys are in flight at
once, paced by the endpoint's rate limit; an endpoint that answers is taken up to
``delivery_batch_size`` deliveries at a time (one failing, ``endpoint_concurrency``), so
the database work of a batch is spread over many deliveries. Each attempt's outcome,
the delivery's next state and the endpoint's health are written in one unit of work
after the batch (``deliveries.service.record_outcomes``, the rules in
``domain.delivery``); a crash
before that write means the delivery is sent again under the same ``webhook-id``,
which receivers deduplicate on.

A dispatcher ticks every ``delivery_poll_interval_s`` and at once when woken: in process
by the consumer's and the endpoints' commits, and across instances by PostgreSQL: every
transaction that makes deliveries due sends ``NOTIFY`` on ``DELIVERIES_CHANNEL``, and each
dispatcher keeps a connection LISTENing there (reconnecting when it drops, and ticking on
reconnection for what it may have missed), so new deliveries leave at once whichever
instance committed them. The poll is then only the fallback for retries falling due.

Leases run on the database's own time (``now()``), not on the rules' clock: they are
machinery, and moving a test's clock must not hand an endpoint to another instance.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import socket
import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import asyncpg
from prometheus_client import Counter, Gauge

from shared.circuit import CircuitPolicy
from shared.clock import Clock
from shared.db.engine import asyncpg_dsn
from shared.db.uow import UnitOfWork
from shared.workers import PeriodicWorker
from webhooks.adapters import Adapters
from webhooks.adapters.receivers import WebhookSender
from webhooks.adapters.secret_box import SecretBox
from webhooks.config import WebhooksSettings
from webhooks.deliveries import service
from webhooks.deliveries.repository import DELIVERIES_CHANNEL, DeliveriesRepository
from webhooks.domain.delivery import AttemptOutcome, Delivery
from webhooks.domain.endpoint import Endpoint
from webhooks.domain.pacing import MonotonicClock, PacingClock, RateLimiter, clamp_rate
from webhooks.domain.retry import RetrySchedule

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

DISABLED = Counter(
    "ipmarket_webhook_endpoints_disabled_total", "Endpoints disabled after failing.", []
)
STALLED = Gauge(
    "ipmarket_webhook_endpoints_stalled",
    "Endpoints with a delivery ready to send and no attempt for longer than the stall "
    "threshold (WEBHOOKS_STALL_AFTER_S), at this instance's last check.",
)
LONGEST_WAIT = Gauge(
    "ipmarket_webhook_longest_wait_seconds",
    "How long the longest-waiting endpoint has had a delivery ready to send with no "
    "attempt made (0: none is waiting), at this instance's last check.",
)


# The application_name of each dispatcher's LISTEN connection (seen in pg_stat_activity).
LISTENER = "ipmarket-webhooks-listen"


class Dispatcher(PeriodicWorker):
    """The delivery engine of one webhooks instance: the periodic worker ``deliveries``,
    woken by the endpoints and by the consumer when they commit new deliveries."""

    NAME = "deliveries"

    def __init__(
        self,
        settings: WebhooksSettings,
        uow: Callable[[], UnitOfWork],
        box: SecretBox,
        clock: Clock,
        pacing: PacingClock | None = None,
    ) -> None:
        super().__init__(
            self.NAME, settings.delivery_poll_interval_s, self._tick, lifetime=self._lifetime
        )
        self.settings = settings
        self.uow = uow
        self.box = box
        # The rules' time: when attempts were made (the units of work read it themselves).
        self.clock = clock
        # What the endpoints' rate limiters wait on; replaced before any endpoint is
        # served, it paces deliveries on another clock.
        self.pacing = pacing or MonotonicClock()
        self.sender = WebhookSender(settings)
        self.me = f"{socket.gethostname()[:40]}:{uuid.uuid4().hex[:12]}"
        self.schedule = RetrySchedule(tuple(settings.retry_schedule_s), settings.retry_jitter)
        self.policy = CircuitPolicy(
            failure_threshold=settings.circuit_failure_threshold,
            cooldown=timedelta(seconds=settings.circuit_cooldown_s),
            max_cooldown=timedelta(seconds=settings.circuit_max_cooldown_s),
            disable_after=timedelta(seconds=settings.disable_after_s),
        )
        self.rng = random.Random()
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._limiters: dict[str, RateLimiter] = {}
        self._stalled: set[str] = set()
        self._next_stall_check = 0.0
        # Counts wake-ups, so that a worker ending just as one arrived passes it on.
        self._wakes = 0
        self._rewake: set[str] = set()
        self.listening = False  # the LISTEN connection is up
        self.listens = 0  # connections that LISTENed so far

    def wake(self) -> None:
        self._wakes += 1
        super().wake()

    @contextlib.asynccontextmanager
    async def _lifetime(self) -> AsyncIterator[None]:
        listener = asyncio.create_task(self._listen(), name="webhook-deliveries-listen")
        try:
            async with self.sender.open():
                try:
                    yield
                finally:
                    await self._drain()
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)

    async def _listen(self) -> None:
        """Keep a connection LISTENing on the deliveries channel, waking on each
        notification; reconnect when it drops (checked every few seconds)."""
        dsn = asyncpg_dsn(self.settings.database_url)
        backoff = 0.5
        while True:
            try:
                conn = await asyncpg.connect(dsn, server_settings={"application_name": LISTENER})
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("webhook dispatcher cannot LISTEN yet", extra={"error": str(exc)})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            try:
                backoff = 0.5
                await self._listen_on(conn)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("webhook dispatcher lost its LISTEN", extra={"error": str(exc)})
            finally:
                self.listening = False
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), timeout=2)
            await asyncio.sleep(backoff)  # a server closing every connection is no busy loop

    async def _tick(self) -> None:
        try:
            await self._start_workers()
        except Exception:
            log.exception("webhook dispatch failed; retrying")
        # How often stalls are checked is machinery: the process's monotonic time.
        if time.monotonic() >= self._next_stall_check:
            self._next_stall_check = time.monotonic() + self.settings.stall_check_interval_s
            await self.check_stalls()

    async def _drain(self) -> None:
        workers = list(self._workers.values())
        if workers:
            _, pending = await asyncio.wait(workers, timeout=self.settings.shutdown_timeout_s)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _take_lease(self, endpoint_id: str) -> bool:
        async with self.uow() as uow:
            repo = DeliveriesRepository(uow.session)
            taken = await repo.take_lease(endpoint_id, self.me, self.settings.endpoint_lease_s)
            await uow.commit()
        return taken

    async def _start_workers(self) -> None:
        room = self.settings.max_active_endpoints - len(self._workers)
        if room <= 0:
            return
        async with self.uow() as uow:
            due = await DeliveriesRepository(uow.session).due_endpoints(
                self.me, room * 2, uow.clock.now()
            )
        candidates = [e for e in due if e not in self._workers]
        for endpoint_id in candidates[:room]:
            if not await self._take_lease(endpoint_id):
                continue
            task = asyncio.create_task(self._serve(endpoint_id), name=f"webhook:{endpoint_id}")
            self._workers[endpoint_id] = task
            task.add_done_callback(self._forget)

    async def check_stalls(self) -> list[str]:
        """Update the stall metrics from the database and log each endpoint that has
        become stalled; the stalled endpoints' ids, the longest-waiting first."""
        async with self.uow() as uow:
            waiting = await DeliveriesRepository(uow.session).waiting(uow.clock.now())
        stalled = [w for w in waiting if w.seconds > self.settings.stall_after_s]
        STALLED.set(len(stalled))
        LONGEST_WAIT.set(max((w.seconds for w in waiting), default=0.0))
        for wait in stalled:
            if wait.endpoint_id not in self._stalled:
                log.warning(
                    "webhook endpoint stalled: deliveries are due and none is attempted",
                    extra={
                        "endpoint_id": wait.endpoint_id,
                        "waiting_since": wait.since.isoformat(),
                    },
                )
        self._stalled = {w.endpoint_id for w in stalled}
        return [w.endpoint_id for w in stalled]

    def _forget(self, task: asyncio.Task[None]) -> None:
        for endpoint_id, running in list(self._workers.items()):
            if running is task:
                del self._workers[endpoint_id]
                if endpoint_id in self._rewake:
                    self._rewake.discard(endpoint_id)
                    self.wake()

    async def _listen_on(self, conn: asyncpg.Connection) -> None:
        """Until the connection is lost: a tick for each notification."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        await conn.add_listener(DELIVERIES_CHANNEL, lambda *_: self.wake())
        self.listening = True
        self.listens += 1
        self.wake()  # what was committed while nobody listened
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), self.settings.listen_check_s)
            if not lost.is_set():
                await asyncio.wait_for(conn.execute("SELECT 1"), 5)

    # -- one endpoint ------------------------------------------------------------------

    async def _serve(self, endpoint_id: str) -> None:
        try:
            while not self.stopping:
                wakes = self._wakes
                if not await self._serve_batch(endpoint_id):
                    # A tick woken meanwhile skipped this endpoint (its worker was still
                    # running): tick again once this worker is gone.
                    if self._wakes != wakes:
                        self._rewake.add(endpoint_id)
                    break
        except Exception:
            log.exception("webhook worker failed", extra={"endpoint_id": endpoint_id})
        finally:
            with contextlib.suppress(Exception):
                async with self.uow() as uow:
                    await DeliveriesRepository(uow.session).release_lease(endpoint_id, self.me)
                    await uow.commit()

    async def _serve_batch(self, endpoint_id: str) -> bool:
        """Send one batch; False when there is nothing (more) to do for now."""
        if not await self._take_lease(endpoint_id):
            return False  # another instance holds the endpoint now
        async with self.uow() as uow:
            batch = await service.next_batch(
                uow, self.box, endpoint_id, self.settings.endpoint_concurrency, self._working
            )
        if batch is None:
            return False
        endpoint = batch.endpoint
        limiter = self._limiters.get(endpoint_id)
        if limiter is None:
            limiter = self._limiters[endpoint_id] = RateLimiter(self.pacing)
        rate = self._rate(endpoint)
        in_flight = asyncio.Semaphore(self.settings.endpoint_concurrency)
        failures = 0
        send_until = time.monotonic() + self.settings.endpoint_lease_s / 2

        async def attempt(delivery: Delivery, body: bytes) -> AttemptOutcome | None:
            nonlocal failures
            async with in_flight:
                # An endpoint failing now gets no more of this batch than would open its
                # circuit, a slow one no more than fits in half its lease; the rest stay
                # pending, untried.
                if failures >= self.policy.failure_threshold or time.monotonic() > send_until:
                    return None
                await limiter.acquire(rate)
                outcome = await self.sender.send(
                    endpoint.url, delivery, body, batch.secrets, self.clock.now()
                )
                failures += 0 if outcome.succeeded else 1
                return outcome

        outcomes = await asyncio.gather(*(attempt(d, body) for d, body in batch.deliveries))
        async with self.uow() as uow:
            disabled = await service.record_outcomes(
                uow,
                endpoint_id,
                [outcome for outcome in outcomes if outcome is not None],
                schedule=self.schedule,
                policy=self.policy,
                rng=self.rng,
            )
            await uow.commit()
        if disabled is not None:
            DISABLED.inc()
            log.warning(
                "webhook endpoint disabled",
                extra={"endpoint_id": endpoint_id, "reason": disabled.disabled_reason},
            )
        return True

    def _rate(self, endpoint: Endpoint) -> float:
        return clamp_rate(endpoint.rate_limit_per_s or self.settings.default_rate_limit_per_s)

    def _working(self, endpoint: Endpoint) -> int:
        """A working endpoint's batch: up to ``delivery_batch_size``, and no more than a
        few seconds of its rate limit (the batch must end well within the lease)."""
        return min(self.settings.delivery_batch_size, math.ceil(self._rate(endpoint) * 5))


def deliveries(runtime: ServiceRuntime) -> PeriodicWorker:
    """The delivery engine, on the runtime's units of work and clock."""
    settings = runtime.settings
    assert isinstance(settings, WebhooksSettings)
    return Dispatcher(settings, runtime.uow, runtime.extras_of(Adapters).secret_box, runtime.clock)
