"""The platforms' webhook receivers: one signed request per delivery attempt.

Each request goes to an address resolved and checked at the moment it is sent (no DNS
rebinding onto a private address), signed with every secret in force, and what the
receiver answered comes back as an :class:`AttemptOutcome`.

The client is aiohttp's, chosen by measurement (``bench/fanout_clients.py``,
docs/webhooks.md). The URL carries the pinned IP literal and the request the real Host
header; for https the TLS handshake names the host (SNI) and the certificate is checked
against it, and each host gets a TLS context of its own, so a pooled connection opened
for one host at an address is never reused for another host at the same address.
Redirects are not followed, every phase of a request has a time bound, and at most
``EXCERPT_BYTES`` of a response are read (the rest is dropped with the connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import ssl
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import aiohttp
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
    """Sends deliveries over one HTTP client session, open while :meth:`open` is entered."""

    def __init__(self, settings: WebhooksSettings) -> None:
        self.settings = settings
        self.allowed = parse_networks(settings.allowed_networks)
        self._session: aiohttp.ClientSession | None = None
        self._tls: dict[str, ssl.SSLContext] = {}

    @contextlib.asynccontextmanager
    async def open(self) -> AsyncIterator[None]:
        bound = self.settings.request_timeout_s
        timeout = aiohttp.ClientTimeout(total=bound, sock_connect=bound, sock_read=bound)
        connector = aiohttp.TCPConnector(
            # Per-endpoint concurrency is the dispatcher's to bound; names are resolved
            # (and checked) by us at each send, never cached by the client.
            limit=0,
            use_dns_cache=False,
        )
        async with aiohttp.ClientSession(
            connector=connector,
            timeout=timeout,
            # One receiver's cookies are never sent to another (or back to it).
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            skip_auto_headers=("Accept-Encoding",),
        ) as session:
            self._session = session
            try:
                yield
            finally:
                self._session = None

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
            scheme, host, port = check_url(url, require_https=self.settings.require_https)
            target = await self._pinned_url(url, host, port)
            headers = {
                "host": host if port == (443 if scheme == "https" else 80) else f"{host}:{port}",
                "content-type": "application/cloudevents+json; charset=utf-8",
                "user-agent": "ipmarket-webhooks/1",
                # webhook-timestamp: the real time, which receivers compare with theirs.
                **sign_all(secrets, delivery.event_id, int(time.time()), body).as_dict(),
            }
            tls = self._tls_for(host) if scheme == "https" else None
            assert self._session is not None
            async with self._session.post(
                target,
                data=body,
                headers=headers,
                allow_redirects=False,
                ssl=tls if tls is not None else True,
                server_hostname=host if tls is not None else None,
            ) as response:
                excerpt = await _excerpt(response)
                status = response.status
                retry_after = response.headers.get("retry-after")
        except (EndpointRefused, InvalidSecret) as exc:
            ATTEMPTS.labels("refused").inc()
            return AttemptOutcome(delivery.id, attempted_at, elapsed_ms(), error=str(exc)[:500])
        # OSError: the name did not resolve; TimeoutError: a bound was reached.
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            ATTEMPTS.labels("failed").inc()
            error = f"{type(exc).__name__}: {exc}"[:500]
            return AttemptOutcome(delivery.id, attempted_at, elapsed_ms(), error=error)
        latency = elapsed_ms()
        LATENCY.observe(latency / 1000)
        outcome = AttemptOutcome(
            delivery.id,
            attempted_at,
            latency,
            status_code=status,
            excerpt=excerpt.decode("utf-8", "replace"),
            # An HTTP date in Retry-After is the receiver's real time.
            retry_after_s=parse_retry_after(retry_after, datetime.now(UTC)),
        )
        ATTEMPTS.labels(
            "succeeded" if outcome.succeeded else "gone" if outcome.gone else "failed"
        ).inc()
        return outcome

    async def _pinned_url(self, url: str, host: str, port: int) -> str:
        """The URL with its host replaced by an address resolved and checked now (no DNS
        rebinding)."""
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        if not infos:
            raise EndpointRefused(f"{host} does not resolve")
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        for address in addresses:
            check_address(address, self.allowed)
        pinned = addresses[0]
        literal = f"[{pinned}]" if pinned.version == 6 else str(pinned)
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=f"{literal}:{port}"))

    def _tls_for(self, host: str) -> ssl.SSLContext:
        """The TLS context of ``host``'s connections, checking certificates; one per host
        because the connection pool keys on the context, not on the name sent as SNI."""
        context = self._tls.get(host)
        if context is None:
            context = self._tls[host] = ssl.create_default_context()
        return context


async def _excerpt(response: aiohttp.ClientResponse) -> bytes:
    """At most ``EXCERPT_BYTES`` of the body; a longer one is cut off with its connection."""
    excerpt = b""
    while len(excerpt) < EXCERPT_BYTES:
        chunk = await response.content.read(EXCERPT_BYTES - len(excerpt))
        if not chunk:
            return excerpt
        excerpt += chunk
    if not response.content.at_eof():
        response.close()
    return excerpt
