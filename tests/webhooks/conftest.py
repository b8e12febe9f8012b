from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.stack import Stack, running_app
from webhooks.config import WebhooksSettings
from webhooks.main import create_app


@pytest.fixture(scope="session")
def webhooks_settings(stack: Stack) -> WebhooksSettings:
    return stack.settings(WebhooksSettings)


@pytest.fixture(scope="session")
async def webhooks_client(webhooks_settings: WebhooksSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(webhooks_settings)) as client:
        yield client
