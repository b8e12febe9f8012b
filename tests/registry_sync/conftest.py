from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from registry_sync.config import RegistrySyncSettings
from registry_sync.main import create_app
from tests.support.stack import Stack, running_app


@pytest.fixture(scope="session")
def registry_settings(stack: Stack) -> RegistrySyncSettings:
    return stack.settings(RegistrySyncSettings)


@pytest.fixture(scope="session")
async def registry_client(
    registry_settings: RegistrySyncSettings,
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(registry_settings)) as client:
        yield client
