from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from listing.config import ListingSettings
from listing.main import create_app
from tests.support.stack import Stack, running_app


@pytest.fixture(scope="session")
def listing_settings(stack: Stack) -> ListingSettings:
    return stack.settings(ListingSettings, expiry_sweep_interval_s=0.5)


# The package's: the app's consumers and workers stop when its tests end, instead of
# polling the broker and the database for the rest of the suite.
@pytest.fixture(scope="package")
async def listing_client(listing_settings: ListingSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(listing_settings)) as client:
        yield client
