"""What both office simulators share: their settings, their clock, the faults they can be
told to produce, and how they run.

Each simulator is a FastAPI app run by uvicorn (``python -m simulators.<office>``). Like
the services, it reads time through a :class:`shared.clock.Clock`, so a test that moves
the controllable clock moves the office's working days too. A simulator behaves like an
office on a bad day on request: ``POST /_control/faults`` queues faults for the next
requests (a timeout, a 5xx, a garbled body), and the ``SIM_*_FAULT_RATE`` settings make a
share of all requests fail at random, as the local run does.
"""

from __future__ import annotations

import asyncio
import random
from collections import deque
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Body, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp

from shared.clock import Clock, clock_for
from shared.domain.calendar import WorkingDayCalendar, load_default


class SimulatorSettings(BaseSettings):
    """Environment variables prefixed ``SIM_``; each simulator adds its own."""

    model_config = SettingsConfigDict(env_prefix="SIM_", extra="ignore")

    http_host: str = "127.0.0.1"
    http_port: int = 8011
    # The controllable clock's file (tests and the local run); unset: the real time.
    clock_file: str | None = None
    # A share (0..1) of requests answered with a fault at random: 5xx, a timeout or garbage.
    fault_rate: float = Field(default=0.0, ge=0, le=1)
    # How long a timed-out request hangs before the simulator drops it.
    timeout_hang_s: float = Field(default=30.0, gt=0)
    seed: int | None = None


class Fault(StrEnum):
    TIMEOUT = "timeout"  # hang, then drop the connection unanswered
    SERVER_ERROR = "server_error"  # 503 with an HTML body
    GARBAGE = "garbage"  # 200 with a body that is not the contract's JSON


class Faults:
    """Faults queued for the next requests, then random ones at ``rate``."""

    def __init__(self, rate: float, seed: int | None) -> None:
        self.rate = rate
        self.queued: deque[Fault] = deque()
        self.random = random.Random(seed)

    def next(self) -> Fault | None:
        if self.queued:
            return self.queued.popleft()
        if self.rate and self.random.random() < self.rate:
            return self.random.choice(list(Fault))
        return None


class FaultMiddleware(BaseHTTPMiddleware):
    """Applies the next fault to every contract request (not health or control)."""

    def __init__(self, app: ASGIApp, faults: Faults, hang_s: float) -> None:
        super().__init__(app)
        self.faults = faults
        self.hang_s = hang_s

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        if path.startswith(("/health", "/_control")):
            return await call_next(request)
        fault = self.faults.next()
        if fault is Fault.TIMEOUT:
            await asyncio.sleep(self.hang_s)
            return Response(status_code=504)
        if fault is Fault.SERVER_ERROR:
            return Response(
                "<html><body>503 Service Temporarily Unavailable</body></html>",
                status_code=503,
                media_type="text/html",
            )
        if fault is Fault.GARBAGE:
            return Response("<html>系统维护中</html>", status_code=200, media_type="text/html")
        return await call_next(request)


def control_router(faults: Faults) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/health/ready")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    @router.post("/_control/faults")
    async def queue_faults(
        queue: Annotated[list[Fault], Body(embed=True)],
        rate: Annotated[float | None, Body(embed=True, ge=0, le=1)] = None,
    ) -> JSONResponse:
        """Queue faults for the next contract requests, in order; optionally set the rate."""
        faults.queued.extend(queue)
        if rate is not None:
            faults.rate = rate
        return JSONResponse({"queued": [f.value for f in faults.queued], "rate": faults.rate})

    return router


class Office:
    """What a simulator's routes use: its clock, its working-day calendar, its faults."""

    def __init__(self, settings: SimulatorSettings) -> None:
        self.settings = settings
        self.clock: Clock = clock_for(settings.clock_file)
        self.calendar: WorkingDayCalendar = load_default()
        self.faults = Faults(settings.fault_rate, settings.seed)

    def app(self, title: str, routers: list[APIRouter]) -> FastAPI:
        app = FastAPI(title=title, docs_url=None, redoc_url=None)
        app.include_router(control_router(self.faults))
        for router in routers:
            app.include_router(router)
        app.add_middleware(FaultMiddleware, faults=self.faults, hang_s=self.settings.timeout_hang_s)
        return app


def serve(app: FastAPI, settings: SimulatorSettings) -> None:
    import uvicorn

    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_level="warning")
