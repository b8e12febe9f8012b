"""The FastAPI application every service is built on: /v1 routes, problem+json errors,
health, metrics, trace context, Idempotency-Key support, the dead-letter operations API
(shared.http.operations), and /docs and /redoc served without any CDN (shared.http.docs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.auth.tokens import TokenVerifier
from shared.http.docs import OAUTH2_REDIRECT_URL, install_docs
from shared.http.idempotency import IdempotencyMiddleware
from shared.http.middleware import TraceAndMetricsMiddleware
from shared.http.operations import router as operations_api
from shared.http.problems import PROBLEM_RESPONSES, install_problem_handlers
from shared.http.routes import StrictRoute
from shared.messaging.dead_letters import DeadLetterDesk
from shared.runtime import ServiceRuntime

API_PREFIX = "/v1"


def create_http_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    openapi_tags: list[dict[str, Any]] | None = None,
) -> FastAPI:
    for router in routers:
        _require_strict_routes(router)
    settings = runtime.settings
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=runtime.lifespan,
        openapi_tags=openapi_tags,
        responses=PROBLEM_RESPONSES,
        # FastAPI's own pages load their scripts from a CDN; install_docs serves them here.
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=OAUTH2_REDIRECT_URL,
        # Traces and metrics are our own (traceparent in logs and events, Prometheus);
        # FastAPI's OpenTelemetry hooks would only ask, on every request, whether an SDK
        # had been configured.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier.from_settings(settings)
    app.state.dead_letters = DeadLetterDesk(settings, runtime.engine, runtime.consumer_groups())
    install_problem_handlers(app)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(TraceAndMetricsMiddleware, service=settings.service_name)
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
    # Every service's consumer groups' dead letters, for the operator (and its console).
    app.include_router(operations_api, prefix=API_PREFIX)
    app.include_router(_operations_router(), include_in_schema=True)
    install_docs(app)
    return app


def _require_strict_routes(router: APIRouter) -> None:
    """Every endpoint refuses what it does not declare (:class:`StrictRoute`)."""
    loose = [
        f"{sorted(route.methods or ())} {route.path}"
        for route in router.routes
        if isinstance(route, APIRoute) and not isinstance(route, StrictRoute)
    ]
    if loose:
        raise TypeError(
            f"routes {', '.join(loose)} are not StrictRoutes: build their router with "
            "APIRouter(route_class=StrictRoute) (shared.http.routes)"
        )


def _operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"], route_class=StrictRoute)

    @router.get("/health/live", summary="The process is up")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/health/ready",
        summary="The service can serve: database and broker reachable",
        responses={503: {"description": "A dependency is unreachable; the body says which."}},
    )
    async def ready(request: Request) -> JSONResponse:
        runtime: ServiceRuntime = request.app.state.runtime
        checks = await runtime.readiness()
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "checks": checks},
            status_code=200 if ok else 503,
        )

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
