"""The operations console (控制台): server-rendered pages under ``/console/``, their CSS
served from ``/console/static/``, and one HTTP client of the public APIs per process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ip_statistics.api.console.endpoints import router

STATIC = Path(__file__).resolve().parent / "static"


def install_console(app: FastAPI) -> FastAPI:
    """Mount the console on the statistics app (and give the app back); its client of the
    public APIs lives as long as the app's lifespan."""
    app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    served = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        async with httpx.AsyncClient(follow_redirects=False) as client:
            application.state.console_http = client
            async with served(application) as state:
                yield state

    app.router.lifespan_context = lifespan
    return app


__all__ = ["install_console"]
