from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from license.config import LicenseSettings
from license.main import create_app
from tests.license.factories import EventFeed
from tests.support.stack import Stack, running_app


@pytest.fixture(scope="session")
def license_settings(stack: Stack) -> LicenseSettings:
    # A consumer group of its own; the deadline watch sweeps every few tenths of a second.
    return stack.settings(LicenseSettings, deadline_watch_interval_s=0.3)


@pytest.fixture(scope="session")
async def license_client(license_settings: LicenseSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(license_settings)) as client:
        yield client


@pytest.fixture(scope="session")
async def feed(license_settings: LicenseSettings) -> AsyncIterator[EventFeed]:
    """Publishes listing's and the pledge service's events as they would."""
    producer = AIOKafkaProducer(bootstrap_servers=license_settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        yield EventFeed(producer)
    finally:
        await producer.stop()
