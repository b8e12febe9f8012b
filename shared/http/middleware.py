"""Trace context and request metrics for every HTTP request (pure ASGI middleware)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.observability import metrics
from shared.observability.tracing import continue_trace, current_traceparent, reset_trace


class TraceAndMetricsMiddleware:
    """Continues the caller's ``traceparent`` (or starts a trace) and records metrics."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"traceparent")
        token = continue_trace(incoming.decode(errors="replace") if incoming else None)
        started = time.perf_counter()
        status = 500

        async def send_with_trace(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"traceparent", current_traceparent().encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_trace)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            elapsed = time.perf_counter() - started
            metrics.HTTP_REQUESTS.labels(self.service, scope["method"], path, str(status)).inc()
            metrics.HTTP_LATENCY.labels(self.service, scope["method"], path).observe(elapsed)
            reset_trace(token)
