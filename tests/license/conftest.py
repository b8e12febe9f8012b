from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from license.config import LicenseSettings
from license.main import create_app
from shared.clock import ControllableClock, move_clock
from shared.domain.calendar import SHANGHAI
from tests.license.calendars import calendar_file
from tests.license.factories import EventFeed
from tests.support.stack import Stack, running_app


@pytest.fixture(scope="session")
def license_settings(stack: Stack) -> LicenseSettings:
    # A consumer group of its own; the deadline watch sweeps every few tenths of a second.
    return stack.settings(LicenseSettings, deadline_watch_interval_s=0.3)


# The package's: the app's consumers and workers stop when its tests end, instead of
# polling the broker and the database for the rest of the suite.
@pytest.fixture(scope="package")
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


@dataclass
class MediationApp:
    """A license app of its own whose clock the test moves (the session app's clock is
    the real one): mediation deadlines are tested on the 2025 calendar."""

    client: httpx.AsyncClient
    settings: LicenseSettings
    clock_file: Path

    def set_today(self, day: date) -> None:
        """Move the app's clock to 10:00 in Asia/Shanghai on ``day``."""
        target = datetime.combine(day, time(10), tzinfo=SHANGHAI)
        move_clock(self.clock_file, by=target - ControllableClock(self.clock_file).now())


@pytest.fixture(scope="package")
async def mediation_app(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[MediationApp]:
    folder = tmp_path_factory.mktemp("mediation")
    clock_file = folder / "clock.json"
    settings = stack.settings(
        LicenseSettings,
        deadline_watch_interval_s=0.2,
        clock_file=str(clock_file),
        # Cut at 2026: the year-end tests mean the same once 2027 is packaged.
        calendar_file=calendar_file(folder, with_2027=False),
    )
    async with running_app(create_app(settings)) as client:
        yield MediationApp(client, settings, clock_file)
