"""Matching with a listing of its own on the session's broker: listing's events (patents,
inventories, tiers, declarations, needs) reach matching as they would in production."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from listing.config import ListingSettings
from listing.main import create_app as create_listing
from matching.config import MatchingSettings
from matching.main import create_app as create_matching
from tests.support.stack import Stack, running_app


@pytest.fixture(scope="session")
def matching_settings(stack: Stack) -> MatchingSettings:
    return stack.settings(MatchingSettings, match_interval_s=0.2, push_interval_s=0.2)


# The package's: the app's consumers and workers stop when its tests end, instead of
# polling the broker and the database for the rest of the suite.
@pytest.fixture(scope="package")
async def matching_client(
    matching_settings: MatchingSettings,
) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_matching(matching_settings)) as client:
        yield client


@pytest.fixture(scope="session")
def matching_listing_settings(stack: Stack) -> ListingSettings:
    return stack.settings(ListingSettings)


@pytest.fixture(scope="package")
async def matching_listing_client(
    matching_listing_settings: ListingSettings,
) -> AsyncIterator[httpx.AsyncClient]:
    """A listing whose events matching reads (any listing on the broker would do)."""
    async with running_app(create_listing(matching_listing_settings)) as client:
        yield client
