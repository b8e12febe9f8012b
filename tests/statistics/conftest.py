"""The statistics service on the session's broker and a fresh database. Its events are
published straight to the topics (the other services' way of publishing them is theirs
to test): the scenario (``scenario.py``) publishes them once per package."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from ip_statistics.config import StatisticsSettings
from ip_statistics.main import create_app
from tests.statistics.scenario import Scenario, publish_scenario
from tests.support.stack import Stack, running_app

# Small, so the cap is met by the scenario's own rows (test_exports.py).
EXPORT_CAP = 3


@pytest.fixture(scope="session")
def statistics_settings(stack: Stack) -> StatisticsSettings:
    return stack.settings(StatisticsSettings, export_max_rows=EXPORT_CAP)


@pytest.fixture(scope="package")
async def statistics_client(
    statistics_settings: StatisticsSettings,
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(statistics_settings)) as client:
        yield client


@pytest.fixture(scope="package")
async def scenario(
    statistics_settings: StatisticsSettings, statistics_client: httpx.AsyncClient
) -> Scenario:
    return await publish_scenario(statistics_settings, statistics_client)
