from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from pledge.config import PledgeSettings
from pledge.main import create_app
from tests.support.stack import Stack, running_app


@pytest.fixture(scope="session")
def pledge_settings(stack: Stack) -> PledgeSettings:
    return stack.settings(PledgeSettings)


# The package's: the app's consumers and workers stop when its tests end, instead of
# polling the broker and the database for the rest of the suite.
@pytest.fixture(scope="package")
async def pledge_client(pledge_settings: PledgeSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(pledge_settings)) as client:
        yield client
