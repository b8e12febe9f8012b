"""The webhooks package's tests run against a broker of their own.

Every webhooks app a test starts has a consumer group of its own, which reads every public
topic from the beginning; on the session's broker that is every event the rest of the suite
published, consumed again by each app before the test's own events arrive. A private broker
holds only what these tests publish.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from devstack.broker import TansuBroker
from tests.support.stack import Stack, running_app
from webhooks.config import WebhooksSettings
from webhooks.main import create_app

# Compressed for tests: a receiver may be down for ~10 s and still get everything.
TEST_SCHEDULE_S = [0.2, 0.4, 0.8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]


def delivery_settings(stack: Stack, **overrides: object) -> WebhooksSettings:
    values: dict[str, object] = {
        "require_https": False,
        "allowed_networks": ["127.0.0.0/8", "::1/128"],
        "retry_schedule_s": TEST_SCHEDULE_S,
        "retry_jitter": 0.1,
        "delivery_poll_interval_s": 0.1,
        "request_timeout_s": 3.0,
        "circuit_failure_threshold": 3,
        "circuit_cooldown_s": 0.3,
        "circuit_max_cooldown_s": 1.0,
        "default_rate_limit_per_s": 200.0,
        **overrides,
    }
    return stack.settings(WebhooksSettings, **values)


@pytest.fixture(scope="package")
def stack(stack: Stack) -> Iterator[Stack]:
    """The session's PostgreSQL with a broker of the package's own."""
    broker = TansuBroker()
    broker.start()
    try:
        yield dataclasses.replace(stack, broker=broker)
    finally:
        broker.stop()


@pytest.fixture(scope="package")
def webhooks_settings(stack: Stack) -> WebhooksSettings:
    return delivery_settings(stack)


@pytest.fixture(scope="package")
async def webhooks_client(webhooks_settings: WebhooksSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(webhooks_settings)) as client:
        yield client
