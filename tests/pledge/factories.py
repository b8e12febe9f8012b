"""Building blocks of the pledge tests: events from other services, bodies, a known patent."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from pledge.config import PledgeSettings
from shared.auth import OrgType
from shared.events.envelope import CloudEvent
from shared.events.schemas import (
    DeclarationPublished,
    EventData,
    OpenLicenseTerms,
    PatenteeRef,
    PatentRegistered,
    PaymentMode,
)
from tests.support.stack import Org, application_number, eventually, org


async def publish(settings: PledgeSettings, event: EventData, event_id: str | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        ce = CloudEvent(
            id=event_id or str(uuid.uuid4()),
            source="/ipmarket/listing",
            type=event.event_type,
            data=event.model_dump(mode="json"),
            subject=event.subject(),
            partitionkey=event.partition_key(),
        )
        await producer.send_and_wait(
            event.topic,
            value=ce.kafka_value(),
            key=event.partition_key().encode(),
            headers=ce.kafka_headers(),
        )
    finally:
        await producer.stop()


def registered(owners: list[Org], **overrides: Any) -> PatentRegistered:
    number = application_number(2018, 1)
    values: dict[str, Any] = {
        "application_number": number,
        "patent_number": "ZL" + number,
        "patent_type": "invention",
        "title": "一种固态电解质薄膜的低温制备方法",
        "patentees": [
            PatenteeRef(name=o.name, uscc=o.uscc, share=100 / len(owners)) for o in owners
        ],
        "filing_date": date(2018, 6, 15),
        "grant_date": date(2020, 9, 1),
        "expiry_date": date(2038, 6, 14),
        "legal_status": "valid",
        "annual_fee_status": "paid",
    }
    values.update(overrides)
    return PatentRegistered(**values)


async def known_patent(
    client: httpx.AsyncClient, settings: PledgeSettings, event: PatentRegistered
) -> str:
    """Publish the patent and wait until pledge's view has it (an application then passes
    the `pledge-patent-unknown` rule)."""
    await publish(settings, event)
    probe = org(OrgType.UNIVERSITY, "探测")

    async def seen() -> bool:
        response = await client.post(
            "/v1/pledges",
            json=application(event.application_number, org(OrgType.BANK, "x")),
            headers=probe.headers(settings),
        )
        return not response.json()["type"].endswith("/pledge-patent-unknown")

    await eventually(seen)
    return event.application_number


def application(number: str, bank: Org, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "application_numbers": [number],
        "pledgee": {"org_id": bank.org_id, "name": bank.name, "uscc": bank.uscc},
        "secured_amount": {"amount": "3000000.00", "currency": "CNY"},
        "debt_term_end": "2029-06-30",
        "has_forfeiture_clause": False,
    }
    body.update(overrides)
    return body


def assert_refused(response: httpx.Response, status: int, slug: str, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/" + slug), problem
    for word in words:
        assert word in problem["detail"], problem


def declaration(number: str, owner: Org) -> DeclarationPublished:
    """Listing's announcement of an open licence on ``number``."""
    return DeclarationPublished(
        declaration_id=str(uuid.uuid4()),
        application_number=number,
        patent_number="ZL" + number,
        patent_type="invention",
        title="一种固态电解质薄膜的低温制备方法",
        patentees=[PatenteeRef(name=owner.name, uscc=owner.uscc)],
        terms_version=1,
        terms=OpenLicenseTerms(
            payment_mode=PaymentMode.LUMP_SUM,
            lump_sum_fee=Decimal("50000"),
            term_start=date(2026, 12, 1),
            term_end=date(2030, 11, 30),
        ),
        announced_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    )


async def bank_action(
    client: httpx.AsyncClient,
    settings: PledgeSettings,
    who: Org,
    pledge_id: str,
    action: str,
    body: dict[str, Any],
    *,
    expect: int = 200,
) -> dict[str, Any]:
    """POST one action on a pledge and check its status; returns the JSON body."""
    response = await client.post(
        f"/v1/pledges/{pledge_id}/{action}", json=body, headers=who.headers(settings)
    )
    assert response.status_code == expect, (action, response.text)
    result: dict[str, Any] = response.json()
    return result


async def registered_pledge(
    client: httpx.AsyncClient,
    settings: PledgeSettings,
    owner: Org,
    bank: Org,
    **overrides: Any,
) -> str:
    """A known patent of ``owner``, pledged to ``bank`` and registered; the pledge's id."""
    number = await known_patent(client, settings, registered([owner]))
    created = await client.post(
        "/v1/pledges", json=application(number, bank, **overrides), headers=owner.headers(settings)
    )
    assert created.status_code == 201, created.text
    pledge_id: str = created.json()["id"]
    await bank_action(
        client,
        settings,
        bank,
        pledge_id,
        "registration",
        {"registration_number": "Y2026980000777", "registered_on": "2026-11-20"},
    )
    return pledge_id


def about(events: list[CloudEvent], subject: str) -> list[CloudEvent]:
    """The events about ``subject``, each once, in first-delivery order.

    Delivery is at least once: when the broker acknowledges only part of a batch the relay
    sends the rest again with the same ids (seen on Tansu with the first write to a fresh
    topic), so a reader, like any real consumer, keeps the first copy of each id.
    """
    seen: set[str] = set()
    unique = []
    for event in events:
        if event.subject == subject and event.id not in seen:
            seen.add(event.id)
            unique.append(event)
    return unique
