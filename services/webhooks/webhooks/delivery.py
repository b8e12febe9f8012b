"""Outbound delivery: per-endpoint workers that sign, send, retry and keep order.

The :class:`Dispatcher` runs in every webhooks instance. Each poll it looks for
endpoints with deliveries due and starts one worker per endpoint, after taking that
endpoint's lease in the database (so across instances exactly one worker serves an
endpoint; a crashed instance's lease expires and another takes over). A slow or
failing endpoint therefore only ever holds up its own worker.

A worker sends, for its endpoint, the oldest due delivery of each ordering key (the
publishing service and the patent): a later event about a patent waits while an
earlier one is still pending, so one service's events about one patent arrive in
order. Up to ``endpoint_concurrency`` deliveries of different keys are in flight at
once, paced by the endpoint's rate limit. Each attempt's outcome, the delivery's next
state and the endpoint's health are written in one transaction after the response;
a crash before that write means the delivery is sent again under the same
``webhook-id``, which receivers deduplicate on.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import random
import socket
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.workers import PeriodicWorker
from webhooks import service
from webhooks.adapters import Adapters
from webhooks.adapters.secret_box import SecretBox
from webhooks.config import WebhooksSettings
from webhooks.domain.address import EndpointRefused, check_address, check_url, parse_networks
from webhooks.domain.circuit import (
    CircuitPolicy,
    EndpointStatus,
    Health,
    after_failure,
    after_success,
)
from webhooks.domain.pacing import MonotonicClock, PacingClock, RateLimiter, clamp_rate
from webhooks.domain.retry import RetrySchedule, parse_retry_after
from webhooks.domain.signing import InvalidSecret, sign_all
from webhooks.models import DeliveryAttemptRecord, DeliveryRecord, EndpointRecord
from webhooks.repository import WebhooksRepository

if TYPE_CHECKING:
    from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

ATTEMPTS = Counter(
    "ipmarket_webhook_attempts_total",
    "Webhook delivery attempts by outcome: succeeded, failed, gone, refused.",
    ["outcome"],
)
LATENCY = Histogram(
    "ipmarket_webhook_attempt_duration_seconds",
    "Time from request to response of one webhook attempt.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
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

EXCERPT_BYTES = 1000


@dataclass(frozen=True)
class Outcome:
    delivery_id: str
    attempted_at: datetime
    latency_ms: float
    status_code: int | None = None
    error: str | None = None
    excerpt: str | None = None
    retry_after_s: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


class Dispatcher(PeriodicWorker):
    """The delivery engine of one webhooks instance: the periodic worker ``deliveries``,
    woken by the endpoints and by the consumer when they commit new deliveries."""

    NAME = "deliveries"

    def __init__(
        self,
        settings: WebhooksSettings,
        session_factory: async_sessionmaker[AsyncSession],
        box: SecretBox,
        clock: PacingClock | None = None,
    ) -> None:
        super().__init__(
            self.NAME, settings.delivery_poll_interval_s, self._tick, lifetime=self._client_open
        )
        self.settings = settings
        # What the endpoints' rate limiters wait on; replaced before any endpoint is
        # served, it paces deliveries on another clock.
        self.clock = clock or MonotonicClock()
        self.sessions = session_factory
        self.box = box
        self.me = f"{socket.gethostname()[:40]}:{uuid.uuid4().hex[:12]}"
        self.schedule = RetrySchedule(tuple(settings.retry_schedule_s), settings.retry_jitter)
        self.policy = CircuitPolicy(
            failure_threshold=settings.circuit_failure_threshold,
            cooldown=timedelta(seconds=settings.circuit_cooldown_s),
            max_cooldown=timedelta(seconds=settings.circuit_max_cooldown_s),
            disable_after=timedelta(seconds=settings.disable_after_s),
        )
        self.allowed = parse_networks(settings.allowed_networks)
        self.rng = random.Random()
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._limiters: dict[str, RateLimiter] = {}
        self._client: httpx.AsyncClient | None = None
        self._stalled: set[str] = set()
        self._next_stall_check = 0.0

    @classmethod
    def for_runtime(cls, runtime: ServiceRuntime) -> Dispatcher:
        settings = runtime.settings
        assert isinstance(settings, WebhooksSettings)
        return cls(settings, runtime.session_factory, runtime.extras_of(Adapters).secret_box)

    @contextlib.asynccontextmanager
    async def _client_open(self) -> AsyncIterator[None]:
        timeout = httpx.Timeout(self.settings.request_timeout_s)
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            self._client = client
            try:
                yield
            finally:
                await self._drain()

    async def _tick(self) -> None:
        try:
            await self._start_workers()
        except Exception:
            log.exception("webhook dispatch failed; retrying")
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

    async def _start_workers(self) -> None:
        room = self.settings.max_active_endpoints - len(self._workers)
        if room <= 0:
            return
        async with self.sessions() as session:
            repo = WebhooksRepository(session)
            due = await repo.due_endpoints(self.me, room * 2)
            candidates = [e for e in due if e not in self._workers]
            for endpoint_id in candidates[:room]:
                taken = await repo.take_lease(endpoint_id, self.me, self.settings.endpoint_lease_s)
                await session.commit()
                if not taken:
                    continue
                task = asyncio.create_task(self._serve(endpoint_id), name=f"webhook:{endpoint_id}")
                self._workers[endpoint_id] = task
                task.add_done_callback(self._forget)

    async def check_stalls(self) -> list[str]:
        """Update the stall metrics from the database and log each endpoint that has
        become stalled; the stalled endpoints' ids, the longest-waiting first."""
        async with self.sessions() as session:
            waiting = await WebhooksRepository(session).waiting()
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

    # -- one endpoint ------------------------------------------------------------------

    async def _serve(self, endpoint_id: str) -> None:
        try:
            while not self.stopping:
                if not await self._serve_batch(endpoint_id):
                    break
        except Exception:
            log.exception("webhook worker failed", extra={"endpoint_id": endpoint_id})
        finally:
            with contextlib.suppress(Exception):
                async with self.sessions() as session:
                    await WebhooksRepository(session).release_lease(endpoint_id, self.me)
                    await session.commit()

    async def _serve_batch(self, endpoint_id: str) -> bool:
        """Send one batch; False when there is nothing (more) to do for now."""
        async with self.sessions() as session:
            repo = WebhooksRepository(session)
            renewed = await repo.take_lease(endpoint_id, self.me, self.settings.endpoint_lease_s)
            await session.commit()
            if not renewed:
                return False  # another instance holds the endpoint now
            endpoint = await repo.get_endpoint(endpoint_id)
            if endpoint is None or endpoint.status == EndpointStatus.DISABLED:
                return False
            now = datetime.now(UTC)
            probing = endpoint.status == EndpointStatus.PAUSED
            if probing and endpoint.paused_until and endpoint.paused_until > now:
                return False
            limit = 1 if probing else self.settings.endpoint_concurrency
            ids = await repo.next_batch(endpoint_id, limit)
            if not ids:
                return False
            batch: list[tuple[DeliveryRecord, bytes]] = [
                (
                    delivery,
                    json.dumps(
                        service.webhook_body(event), ensure_ascii=False, separators=(",", ":")
                    ).encode(),
                )
                for delivery, event in await repo.deliveries_with_events(ids)
            ]
            secrets = [self.box.open(s) for s in await repo.secrets_in_force(endpoint_id, now)]
            await session.commit()
        limiter = self._limiters.get(endpoint_id)
        if limiter is None:
            limiter = self._limiters[endpoint_id] = RateLimiter(self.clock)
        rate = clamp_rate(endpoint.rate_limit_per_s or self.settings.default_rate_limit_per_s)
        outcomes = await asyncio.gather(
            *(self._attempt(endpoint.url, d, body, secrets, limiter, rate) for d, body in batch)
        )
        await self._record(endpoint_id, outcomes)
        return True

    async def _attempt(
        self,
        url: str,
        delivery: DeliveryRecord,
        body: bytes,
        secrets: list[str],
        limiter: RateLimiter,
        rate: float,
    ) -> Outcome:
        await limiter.acquire(rate)
        attempted_at = datetime.now(UTC)
        started = time.perf_counter()

        def elapsed_ms() -> float:
            return (time.perf_counter() - started) * 1000

        try:
            request = await self._pinned_request(url, delivery, body, secrets)
            assert self._client is not None
            response = await self._client.send(request, stream=True)
            try:
                excerpt = b""
                async for chunk in response.aiter_bytes():
                    excerpt += chunk
                    if len(excerpt) >= EXCERPT_BYTES:
                        break
            finally:
                await response.aclose()
        except (EndpointRefused, InvalidSecret) as exc:
            ATTEMPTS.labels("refused").inc()
            return Outcome(delivery.id, attempted_at, elapsed_ms(), error=str(exc)[:500])
        except (httpx.HTTPError, OSError) as exc:  # OSError: the name did not resolve
            ATTEMPTS.labels("failed").inc()
            error = f"{type(exc).__name__}: {exc}"[:500]
            return Outcome(delivery.id, attempted_at, elapsed_ms(), error=error)
        latency = elapsed_ms()
        LATENCY.observe(latency / 1000)
        outcome = Outcome(
            delivery.id,
            attempted_at,
            latency,
            status_code=response.status_code,
            excerpt=excerpt[:EXCERPT_BYTES].decode("utf-8", "replace"),
            retry_after_s=parse_retry_after(response.headers.get("retry-after"), attempted_at),
        )
        ATTEMPTS.labels(
            "succeeded" if outcome.succeeded else "gone" if outcome.gone else "failed"
        ).inc()
        return outcome

    async def _pinned_request(
        self, url: str, delivery: DeliveryRecord, body: bytes, secrets: list[str]
    ) -> httpx.Request:
        """The request, sent to an address resolved and checked now (no DNS rebinding)."""
        scheme, host, port = check_url(url, require_https=self.settings.require_https)
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        if not infos:
            raise EndpointRefused(f"{host} does not resolve")
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        for address in addresses:
            check_address(address, self.allowed)
        pinned = addresses[0]
        literal = f"[{pinned}]" if pinned.version == 6 else str(pinned)
        target = httpx.URL(url).copy_with(host=literal)
        default_port = 443 if scheme == "https" else 80
        headers = {
            "host": host if port == default_port else f"{host}:{port}",
            "content-type": "application/cloudevents+json; charset=utf-8",
            "user-agent": "ipmarket-webhooks/1",
            **sign_all(secrets, delivery.event_id, int(time.time()), body).as_dict(),
        }
        extensions: dict[str, Any] = {"sni_hostname": host} if scheme == "https" else {}
        assert self._client is not None
        return self._client.build_request(
            "POST", target, content=body, headers=headers, extensions=extensions
        )

    async def _record(self, endpoint_id: str, outcomes: list[Outcome]) -> None:
        """Attempts, deliveries and the endpoint's health, in one transaction."""
        async with self.sessions() as session, session.begin():
            repo = WebhooksRepository(session)
            endpoint = await repo.get_endpoint(endpoint_id, for_update=True)
            if endpoint is None:
                return
            health = _health(endpoint)
            last = max((o.attempted_at for o in outcomes), default=None)
            if last is not None and (
                endpoint.last_attempt_at is None or last > endpoint.last_attempt_at
            ):
                endpoint.last_attempt_at = last
            for outcome in outcomes:
                delivery = await repo.get_delivery(outcome.delivery_id, for_update=True)
                if delivery is None:
                    continue
                session.add(
                    DeliveryAttemptRecord(
                        delivery_id=delivery.id,
                        endpoint_id=endpoint_id,
                        attempted_at=outcome.attempted_at,
                        status_code=outcome.status_code,
                        latency_ms=round(outcome.latency_ms, 3),
                        error=outcome.error,
                        response_excerpt=outcome.excerpt,
                    )
                )
                self._advance(delivery, outcome)
                session.add(delivery)
                if outcome.succeeded:
                    health = after_success(health)
                else:
                    health = after_failure(
                        health, self.policy, outcome.attempted_at, gone=outcome.gone
                    )
            was_disabled = endpoint.status == EndpointStatus.DISABLED
            _apply(endpoint, health)
            if endpoint.status == EndpointStatus.DISABLED and not was_disabled:
                DISABLED.inc()
                log.warning(
                    "webhook endpoint disabled",
                    extra={"endpoint_id": endpoint_id, "reason": endpoint.disabled_reason},
                )
            session.add(endpoint)

    def _advance(self, delivery: DeliveryRecord, outcome: Outcome) -> None:
        now = datetime.now(UTC)
        delivery.attempts += 1
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error or (
            None if outcome.succeeded else f"HTTP {outcome.status_code}"
        )
        if outcome.succeeded:
            delivery.status, delivery.completed_at = "succeeded", now
            return
        delay = self.schedule.next_delay(delivery.attempts, outcome.retry_after_s, self.rng)
        if delay is None:
            delivery.status, delivery.completed_at = "failed", now
        else:
            delivery.next_attempt_at = now + timedelta(seconds=delay)


def _health(endpoint: EndpointRecord) -> Health:
    return Health(
        EndpointStatus(endpoint.status),
        endpoint.consecutive_failures,
        endpoint.failing_since,
        endpoint.paused_until,
        endpoint.cooldown_s,
        endpoint.disabled_reason,
    )


def _apply(endpoint: EndpointRecord, health: Health) -> None:
    if health.status is EndpointStatus.DISABLED and endpoint.status != EndpointStatus.DISABLED:
        endpoint.disabled_at = datetime.now(UTC)
        endpoint.disabled_reason = health.disabled_reason
    endpoint.status = health.status.value
    endpoint.consecutive_failures = health.consecutive_failures
    endpoint.failing_since = health.failing_since
    endpoint.paused_until = health.paused_until
    endpoint.cooldown_s = health.cooldown_s
