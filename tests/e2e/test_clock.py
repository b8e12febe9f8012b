"""Time moved inside a real service process: a test setting turns the controllable clock on,
one call moves it, and the service's sweep acts on the new date at once.

The declaration below, a year old, has ten days of term left on the real calendar. Nothing ends it
until the clock file moves eleven days forward; then the expiry sweep of the listing
process (a separate OS process reading the same file) ends it, and the event carries the
moved time.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.ports import free_port
from devstack.processes import ServiceProcess
from devstack.services import SERVICES, service_process
from listing.config import ListingSettings
from shared.auth import OrgType
from shared.clock import SystemClock, move_clock
from shared.domain import add_months
from shared.events import topics
from tests.listing.factories import declaration_body
from tests.listing.test_declarations import declare, register
from tests.support.stack import Stack, application_number, eventually, org, read_topic

pytestmark = pytest.mark.e2e

LISTING = next(d for d in SERVICES if d.name == "listing")


@pytest.fixture
def clock_file(tmp_path: Path) -> Path:
    return tmp_path / "clock.json"


@pytest.fixture
def listing(stack: Stack, clock_file: Path) -> Iterator[ServiceProcess]:
    database = f"listing_clock_{uuid.uuid4().hex[:8]}"
    stack.postgres.create_database(database)
    logs = stack.root / "logs"
    logs.mkdir(exist_ok=True)
    process = service_process(
        LISTING,
        database_url=stack.postgres.url(database),
        bootstrap=stack.broker.bootstrap_servers,
        port=free_port(),
        log_dir=logs,
        extra_env={
            "LOG_LEVEL": "WARNING",
            "ENVIRONMENT": "test",
            "CLOCK_FILE": str(clock_file),
            "EXPIRY_SWEEP_INTERVAL_S": "0.2",
            "KAFKA_CONSUMER_GROUP": f"test-{database}",
        },
        label="listing-clock",
    )
    process.start()
    try:
        process.wait_ready(timeout=90)
        yield process
    finally:
        process.stop(timeout=15)


async def test_a_moved_clock_ends_a_declaration_inside_the_service_process(
    listing: ServiceProcess, clock_file: Path
) -> None:
    settings = ListingSettings()  # the token settings the process runs with
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    today = SystemClock().today()
    async with httpx.AsyncClient(base_url=listing.url, timeout=30) as client:
        number = await register(client, settings, owner)
        body = declaration_body(
            number,
            term_start=(today - timedelta(days=400)).isoformat(),
            term_end=(today + timedelta(days=10)).isoformat(),
        )
        announced = await declare(client, settings, owner, body)
        assert announced.status_code == 200, announced.text
        url = f"/v1/declarations/{announced.json()['id']}"

        async def status() -> str:
            response = await client.get(url, headers=owner.headers(settings))
            return str(response.json()["status"])

        assert await status() == "announced"
        moved_to = move_clock(clock_file, by=timedelta(days=11))
        assert moved_to > datetime.now(UTC) + timedelta(days=10)

        async def expired() -> bool:
            return await status() == "expired"

        await eventually(expired, timeout=30)

    declaration_id = announced.json()["id"]
    events = await read_topic(
        stack_bootstrap(listing),
        topics.LISTING,
        until=lambda es: any(
            e.type.endswith("declaration.expired.v1") and e.data["declaration_id"] == declaration_id
            for e in es
        ),
    )
    ended = next(
        e
        for e in events
        if e.type.endswith("declaration.expired.v1") and e.data["declaration_id"] == declaration_id
    )
    # The event happened at the service's (moved) time, not the real one.
    assert ended.time > datetime.now(UTC) + timedelta(days=10)


def stack_bootstrap(process: ServiceProcess) -> str:
    return process.env[f"{LISTING.prefix}KAFKA_BOOTSTRAP_SERVERS"]


async def test_a_patent_lapses_by_itself_the_day_after_its_term_ends(
    listing: ServiceProcess, clock_file: Path
) -> None:
    """Nobody types the expiry in: the term sweep of the listing process lapses a patent
    the day after its expiry date and tells every service; its declaration ends once."""
    settings = ListingSettings()
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    today = SystemClock().today()
    # An invention is in force for 20 years from filing, through the day before the
    # twentieth anniversary: filed twenty years ago tomorrow, today is its last day.
    filed = add_months(today, -240) + timedelta(days=1)
    async with httpx.AsyncClient(base_url=listing.url, timeout=30) as client:
        number = await register(
            client,
            settings,
            owner,
            application_number=application_number(filed.year, 1),
            filing_date=filed.isoformat(),
            grant_date=(filed + timedelta(days=300)).isoformat(),
            ipc_codes=["H01M 10/44"],
        )
        body = declaration_body(
            number,
            term_start=(today - timedelta(days=400)).isoformat(),
            term_end=today.isoformat(),
        )
        announced = await declare(client, settings, owner, body)
        assert announced.status_code == 200, announced.text

        async def patent() -> dict[str, Any]:
            response = await client.get(f"/v1/patents/{number}", headers=owner.headers(settings))
            found: dict[str, Any] = response.json()
            return found

        assert ((await patent())["expiry_date"], (await patent())["legal_status"]) == (
            today.isoformat(),
            "valid",
        )
        move_clock(clock_file, by=timedelta(days=1, hours=1))

        async def expired() -> bool:
            return (await patent())["legal_status"] == "expired"

        await eventually(expired, timeout=30)

    changed = await read_topic(
        stack_bootstrap(listing),
        topics.LISTING,
        until=lambda es: any(
            e.type.endswith("patent.status_changed.v1") and e.data["application_number"] == number
            for e in es
        ),
    )
    [event] = [
        e
        for e in changed
        if e.type.endswith("patent.status_changed.v1") and e.data["application_number"] == number
    ]
    assert event.data["legal_status"] == "expired"
    assert event.data["reason"] == f"the patent term ended on {today.isoformat()}"
    # The declaration's term ends with the patent's (it may not outlast it): the term
    # sweep lapses it, or the declaration sweep, running beside it, expires it first.
    declaration_id = announced.json()["id"]
    ended = [
        e
        for e in changed
        if e.type.endswith(("declaration.lapsed.v1", "declaration.expired.v1"))
        and e.data["declaration_id"] == declaration_id
    ]
    assert len(ended) == 1
