"""Publish once, reach every platform, across the deployed processes: declarations made
in listing reach a platform's receiver through Kafka and webhooks, through a broker
outage and a SIGKILL of the webhooks service, each event once under its own webhook-id."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.e2e.test_walking_skeleton import declaration, patent
from tests.support.stack import OPERATOR_SCOPES, Org, application_number, eventually, org
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()
DECLARED = "cn.ipmarket.listing.declaration.published.v1"
REGISTERED = "cn.ipmarket.listing.patent.registered.v1"


async def declare(http: httpx.AsyncClient, listing: str, owner: Org) -> str:
    number = application_number(2019, 1)
    headers = owner.headers(SETTINGS)
    created = await http.post(f"{listing}/v1/patents", json=patent(owner, number), headers=headers)
    assert created.status_code == 201, created.text
    draft = await http.post(f"{listing}/v1/declarations", json=declaration(number), headers=headers)
    submitted = await http.post(
        f"{listing}/v1/declarations/{draft.json()['id']}/submit", headers=headers
    )
    assert submitted.status_code == 200, submitted.text
    return number


async def test_declarations_reach_a_platform_through_an_outage_and_a_crash(
    system: System,
) -> None:
    receiver = Receiver("sztex")
    await receiver.start()
    operator = org(OrgType.OPERATOR, "平台运营方")
    university = org(OrgType.UNIVERSITY, "华南理工大学")
    exchange = Org(f"exchange-{uuid.uuid4().hex[:8]}", "深圳技术交易所", OrgType.EXCHANGE, None)
    listing, webhooks = system.url("listing"), system.url("webhooks")
    async with httpx.AsyncClient(timeout=15) as http:
        platform = await http.post(
            f"{webhooks}/v1/platforms",
            json={"org_id": exchange.org_id, "name": exchange.name},
            headers=operator.headers(SETTINGS, scopes=OPERATOR_SCOPES),
        )
        assert platform.status_code == 201, platform.text
        endpoint = await http.post(
            f"{webhooks}/v1/platforms/{platform.json()['id']}/endpoints",
            json={"url": receiver.url, "event_types": [DECLARED, REGISTERED]},
            headers=exchange.headers(SETTINGS),
        )
        assert endpoint.status_code == 201, endpoint.text
        receiver.secrets.append(endpoint.json()["secret"])

        numbers = [await declare(http, listing, university) for _ in range(3)]

        # The broker stops answering: listing still takes declarations (outbox) ...
        system.broker.pause()
        try:
            numbers += [await declare(http, listing, university) for _ in range(2)]
            await asyncio.sleep(1.0)
        finally:
            system.broker.resume()

        # ... and the webhooks service is killed while it delivers.
        await eventually(lambda: len(receiver.events(set(numbers))) >= 2, timeout=60)
        system.processes["webhooks"].kill()
        numbers += [await declare(http, listing, university) for _ in range(2)]
        system.start_instance("webhooks")

        expected = 2 * len(numbers)  # registered + declared, per patent

        # Every event at least once (duplicates, after the kill, do not count).
        def every_event() -> bool:
            return len({e["id"] for e in receiver.events(set(numbers))}) >= expected

        await eventually(every_event, timeout=90)
    await receiver.stop()

    got = receiver.events(set(numbers))
    ids = [e["id"] for e in got]
    assert len(set(ids)) == expected  # every event, none missing
    assert receiver.rejected == []
    # Same event again (crash between the 2xx and our bookkeeping) only under its own id.
    assert all(r.webhook_id == r.event["id"] for r in receiver.received)
    for number in numbers:
        about = [e["type"] for e in got if e["subject"] == number]
        assert about[0] == REGISTERED  # in order per patent
        assert DECLARED in about
