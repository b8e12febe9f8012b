"""The console as a real HTTP server for a real browser.

The webhooks and statistics apps run in process, each under uvicorn on a loopback port,
in an event loop of their own on a background thread: Selenium's calls block, and must
not block the servers they are waiting for. A broker of the package's own keeps the
suite's other events out of these apps' consumer groups. The console's other services
point at a port nobody listens on, so the network page shows them as down.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import tempfile
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from selenium.webdriver.remote.webdriver import WebDriver

from devstack.broker import TansuBroker
from devstack.ports import free_port
from ip_statistics.config import StatisticsSettings
from ip_statistics.main import create_app as statistics_app
from shared.auth import OrgType, issue_token
from shared.events.envelope import CloudEvent
from tests.console.browser import chromium
from tests.statistics.scenario import publish
from tests.support.stack import OPERATOR_SCOPES, Org, Stack, eventually, org
from webhooks.config import WebhooksSettings
from webhooks.main import create_app as webhooks_app

T = TypeVar("T")

OPERATOR = org(OrgType.OPERATOR, "平台运营方")
UNIVERSITY = org(OrgType.UNIVERSITY, "清华大学")
BANK = org(OrgType.BANK, "中国工商银行深圳分行")

# Deliveries give up after three quick attempts, so a failure is there to replay at once.
DELIVERY = {
    "require_https": False,
    "allowed_networks": ["127.0.0.0/8", "::1/128"],
    "retry_schedule_s": [0.2, 0.2],
    "retry_jitter": 0.1,
    "delivery_poll_interval_s": 0.1,
    "request_timeout_s": 3.0,
    "circuit_failure_threshold": 5,
    "circuit_cooldown_s": 0.3,
    "circuit_max_cooldown_s": 1.0,
    "default_rate_limit_per_s": 200.0,
}


class Background:
    """An event loop on a thread of its own, for the servers and the tests' async calls."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 120) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


@dataclass
class Served:
    server: uvicorn.Server
    task: asyncio.Task[None]

    async def stop(self) -> None:
        self.server.should_exit = True
        await asyncio.wait_for(self.task, 30)


async def serve(app: FastAPI, port: int) -> Served:
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    def up() -> bool:
        if task.done():
            raise RuntimeError(f"the app on port {port} did not start: {task.exception()!r}")
        return server.started

    await eventually(up, timeout=90)
    return Served(server, task)


@dataclass
class Console:
    url: str
    webhooks_url: str
    webhooks: WebhooksSettings
    statistics: StatisticsSettings
    background: Background

    def token(self, who: Org, scopes: tuple[str, ...] | None = None) -> str:
        return issue_token(
            self.statistics,
            org_id=who.org_id,
            org_name=who.name,
            org_type=who.org_type,
            uscc=who.uscc,
            scopes=list(scopes) if scopes else None,
        )

    @property
    def operator(self) -> str:
        return self.token(OPERATOR, OPERATOR_SCOPES)

    def publish(self, *events: CloudEvent) -> None:
        """Publish the events and wait until the statistics service has handled them."""
        self.background.run(publish(self.statistics, *events))

    def call(self, method: str, url: str, token: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            async with httpx.AsyncClient() as client:
                headers = {"Authorization": f"Bearer {token}"}
                return await client.request(method, url, headers=headers, **kwargs)

        return self.background.run(send())


@pytest.fixture(scope="package")
def console(stack: Stack) -> Iterator[Console]:
    broker = TansuBroker()
    broker.start()
    private = dataclasses.replace(stack, broker=broker)
    background = Background()
    served: list[Served] = []
    try:
        webhooks_port, statistics_port, nobody = free_port(), free_port(), free_port()
        webhooks_url = f"http://127.0.0.1:{webhooks_port}"
        url = f"http://127.0.0.1:{statistics_port}"
        webhooks = private.settings(WebhooksSettings, **DELIVERY)
        statistics = private.settings(
            StatisticsSettings,
            console_service_urls={
                "listing": f"http://127.0.0.1:{nobody}",
                "webhooks": webhooks_url,
                "statistics": url,
            },
        )
        served.append(background.run(serve(webhooks_app(webhooks), webhooks_port)))
        served.append(background.run(serve(statistics_app(statistics), statistics_port)))
        yield Console(url, webhooks_url, webhooks, statistics, background)
    finally:
        for one in reversed(served):
            background.run(one.stop())
        background.close()
        broker.stop()


@pytest.fixture(scope="package")
def downloads() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="ipmarket-downloads-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="package")
def browser(console: Console, downloads: Path) -> Iterator[WebDriver]:
    with chromium(downloads) as driver:
        yield driver
