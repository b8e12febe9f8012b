"""The platforms' webhook receivers: one signed request per delivery attempt.

Each request goes to an address resolved and checked at the moment it is sent (no DNS
rebinding onto a private address), signed with every secret in force, and what the
receiver answered comes back as an :class:`AttemptOutcome`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
from prometheus_client import Counter, Histogram

from webhooks.config import WebhooksSettings
from webhooks.domain.address import EndpointRefused, check_address, check_url, parse_networks
from webhooks.domain.delivery import AttemptOutcome, Delivery
from webhooks.domain.retry import parse_retry_after
from webhooks.domain.signing import InvalidSecret, sign_all

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

EXCERPT_BYTES = 1000


class WebhookSender:
    """Sends deliveries over one HTTP client, open while :meth:`open` is entered."""

    def __init__(self, settings: WebhooksSettings) -> None:
        self.settings = settings
        self.allowed = parse_networks(settings.allowed_networks)
        self._client: httpx.AsyncClient | None = None

    @contextlib.asynccontextmanager
    async def open(self) -> AsyncIterator[None]:
        timeout = httpx.Timeout(self.settings.request_timeout_s)
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            self._client = client
            yield

    async def send(
        self,
        url: str,
        delivery: Delivery,
        body: bytes,
        secrets: list[str],
        attempted_at: datetime,
    ) -> AttemptOutcome:
        """One attempt; ``attempted_at`` is the rules' time of it, the latency is
        measured on the real time."""
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
            return AttemptOutcome(delivery.id, attempted_at, elapsed_ms(), error=str(exc)[:500])
        except (httpx.HTTPError, OSError) as exc:  # OSError: the name did not resolve
            ATTEMPTS.labels("failed").inc()
            error = f"{type(exc).__name__}: {exc}"[:500]
            return AttemptOutcome(delivery.id, attempted_at, elapsed_ms(), error=error)
        latency = elapsed_ms()
        LATENCY.observe(latency / 1000)
        outcome = AttemptOutcome(
            delivery.id,
            attempted_at,
            latency,
            status_code=response.status_code,
            excerpt=excerpt[:EXCERPT_BYTES].decode("utf-8", "replace"),
            # An HTTP date in Retry-After is the receiver's real time.
            retry_after_s=parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC)),
        )
        ATTEMPTS.labels(
            "succeeded" if outcome.succeeded else "gone" if outcome.gone else "failed"
        ).inc()
        return outcome

    async def _pinned_request(
        self, url: str, delivery: Delivery, body: bytes, secrets: list[str]
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
            # webhook-timestamp: the real time, which receivers compare with theirs.
            **sign_all(secrets, delivery.event_id, int(time.time()), body).as_dict(),
        }
        extensions: dict[str, Any] = {"sni_hostname": host} if scheme == "https" else {}
        assert self._client is not None
        return self._client.build_request(
            "POST", target, content=body, headers=headers, extensions=extensions
        )
