"""Recordals with the patent office on the real stack: a licence in force is filed and a
signed transfer registered through the simulator, whatever the office does on the way,
with one submission each; the legal-status feed is published in order, each entry once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.processes import ServiceProcess
from registry_sync.config import RegistrySyncSettings
from registry_sync.main import create_app
from shared.auth import OrgType
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.events.schemas import EventData, PatenteeRef, TransferAgreed
from tests.registry_sync.patent_office_support import (
    HANG_S,
    control,
    patent_office,
    queue_faults,
    submissions,
)
from tests.registry_sync.test_registrations import granted, send
from tests.support.stack import (
    OPERATOR_SCOPES,
    Stack,
    application_number,
    eventually,
    org,
    read_topic,
    running_app,
)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    # Every feed answer repeats its first entry: registry-sync publishes each once.
    log_dir = Path(tmp_path_factory.mktemp("patent-office"))
    with patent_office(log_dir, SIM_FEED_REPEAT_RATE="1") as process:
        yield process


@pytest.fixture(scope="module")
def settings(stack: Stack, office: ServiceProcess) -> RegistrySyncSettings:
    return stack.settings(
        RegistrySyncSettings,
        patent_office_url=office.url,
        patent_office_timeout_s=HANG_S / 4,
        patent_office_attempts=1,
        patent_office_backoff_s=0.01,
        recordal_interval_s=0.1,
        recordal_retry_first=timedelta(milliseconds=50),
        recordal_poll_interval=timedelta(milliseconds=50),
        legal_status_interval_s=0.1,
    )


@pytest.fixture(scope="module")
async def client(settings: RegistrySyncSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(settings)) as running:
        yield running


async def publish(settings: RegistrySyncSettings, event: EventData, topic: str) -> None:
    ce = CloudEvent(
        id=str(uuid.uuid4()),
        source="/ipmarket/license",
        type=event.event_type,
        data=event.model_dump(mode="json"),
        subject=event.subject(),
        partitionkey=event.partition_key(),
    )
    await send(settings, ce.kafka_value(), ce.kafka_headers(), event.partition_key().encode())


async def decided(
    client: httpx.AsyncClient, settings: RegistrySyncSettings, source: str
) -> dict[str, Any] | None:
    operator = org(OrgType.OPERATOR, "平台运营方")
    response = await client.get(
        "/v1/patent-office-recordals",
        params={"source_reference": source},
        headers=operator.headers(settings, scopes=OPERATOR_SCOPES),
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    if items and items[0]["status"] in ("registered", "refused"):
        return items[0]
    return None


def events_for(events: list[CloudEvent], key: str, value: str) -> list[str]:
    return [e.type.split(".registry.")[1] for e in events if e.data.get(key) == value]


@pytest.mark.parametrize("faults", [[], ["timeout"], ["server_error", "server_error"], ["garbage"]])
async def test_a_licence_in_force_is_filed_once_whatever_the_office_does_first(
    client: httpx.AsyncClient,
    settings: RegistrySyncSettings,
    office: ServiceProcess,
    faults: list[str],
) -> None:
    event = granted(org(OrgType.UNIVERSITY, "清华大学"), org(OrgType.ENTERPRISE, "深圳某公司"))
    before = await submissions(office.url, event.application_number)
    await queue_faults(office.url, *faults)
    await publish(settings, event, topics.LICENSE)
    await publish(settings, event, topics.LICENSE)  # re-sent: still one recordal
    recordal = await eventually(lambda: decided(client, settings, event.license_id))
    assert recordal["status"] == "registered"
    assert recordal["kind"] == "license_filing"
    assert recordal["number"]
    assert recordal["attempts"] >= 1 + len(faults) // 2
    after = await submissions(office.url, event.application_number)
    assert after["license_filings"] == before["license_filings"] + 1

    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.REGISTRY,
        until=lambda evs: (
            "license_filing.registered.v1" in events_for(evs, "license_id", event.license_id)
        ),
    )
    assert events_for(events, "license_id", event.license_id) == [
        "license_filing.submitted.v1",
        "license_filing.registered.v1",
    ]
    registered = next(
        e
        for e in events
        if e.type.endswith("registered.v1") and e.data.get("license_id") == event.license_id
    )
    assert registered.data["filing_number"] == recordal["number"]
    assert registered.partitionkey == event.application_number


async def test_a_filing_the_office_refuses_at_the_counter_is_refused_with_its_reasons(
    client: httpx.AsyncClient, settings: RegistrySyncSettings
) -> None:
    event = granted(
        org(OrgType.UNIVERSITY, "浙江大学"), org(OrgType.INDIVIDUAL, "张三", with_uscc=False)
    )
    await publish(settings, event, topics.LICENSE)
    recordal = await eventually(lambda: decided(client, settings, event.license_id))
    assert recordal["status"] == "refused"
    assert any("张三" in r for r in recordal["reasons"])
    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.REGISTRY,
        until=lambda evs: bool(events_for(evs, "license_id", event.license_id)),
    )
    assert events_for(events, "license_id", event.license_id) == ["license_filing.refused.v1"]


async def test_a_signed_transfer_is_registered_or_refused_on_decision(
    client: httpx.AsyncClient, settings: RegistrySyncSettings, office: ServiceProcess
) -> None:
    university, buyer = org(OrgType.UNIVERSITY, "清华大学"), org(OrgType.ENTERPRISE, "北京某公司")
    refused_number = application_number()
    await control(
        office.url, "/_control/decisions", {"refuse": {refused_number: ["转让人非专利权人"]}}
    )

    def agreed(number: str) -> TransferAgreed:
        return TransferAgreed(
            deal_id=str(uuid.uuid4()),
            application_number=number,
            patent_number="ZL201710601862.3",
            transferors=[PatenteeRef(name=university.name, uscc=university.uscc)],
            transferees=[PatenteeRef(name=buyer.name, uscc=buyer.uscc, party_type="enterprise")],
            contract_value="800000.00",
            signed_on=date(2026, 11, 2),
        )

    recorded, refused = agreed(application_number()), agreed(refused_number)
    await publish(settings, recorded, topics.LICENSE)
    await publish(settings, refused, topics.LICENSE)
    first = await eventually(lambda: decided(client, settings, recorded.deal_id))
    second = await eventually(lambda: decided(client, settings, refused.deal_id))
    assert first["status"] == "registered"
    assert first["announced_on"] is not None
    assert second["status"] == "refused"
    assert second["reasons"] == ["转让人非专利权人"]

    # Parties see their own recordals; others are told it does not exist.
    seen = await client.get(
        f"/v1/patent-office-recordals/{first['id']}", headers=buyer.headers(settings)
    )
    assert seen.status_code == 200, seen.text
    stranger = org(OrgType.ENTERPRISE, "无关公司")
    hidden = await client.get(
        f"/v1/patent-office-recordals/{first['id']}", headers=stranger.headers(settings)
    )
    missing = await client.get(
        f"/v1/patent-office-recordals/{uuid.uuid4()}", headers=stranger.headers(settings)
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["title"] == missing.json()["title"]

    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.REGISTRY,
        until=lambda evs: (
            "transfer_registration.refused.v1" in events_for(evs, "deal_id", refused.deal_id)
        ),
    )
    assert events_for(events, "deal_id", recorded.deal_id) == [
        "transfer_registration.submitted.v1",
        "transfer_registration.recorded.v1",
    ]


async def test_the_legal_status_feed_is_published_in_order_each_entry_once(
    client: httpx.AsyncClient, settings: RegistrySyncSettings, office: ServiceProcess
) -> None:
    number = application_number()
    day = date(2026, 12, 1)
    entries = [
        {
            "application_number": number,
            "event": event,
            "effective_on": str(day),
            "announced_on": str(day),
        }
        for event in ("fees_unpaid", "grace_period_ended", "restored")
    ]
    # A garbled answer in between changes nothing.
    await control(office.url, "/_control/faults", {"queue": ["garbage"]})
    await control(office.url, "/_control/legal-status", {"entries": entries})
    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.REGISTRY,
        until=lambda evs: (
            "restored" in [e.data.get("status_event") for e in evs if e.subject == number]
        ),
    )
    reported = [
        e for e in events if e.type.endswith("legal_status.reported.v1") and e.subject == number
    ]
    assert [e.data["status_event"] for e in reported] == [
        "fees_unpaid",
        "grace_period_ended",
        "restored",
    ]
    sequences = [e.data["sequence"] for e in reported]
    assert sequences == sorted(set(sequences))
