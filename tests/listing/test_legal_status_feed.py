"""The patent office's legal-status announcements (registry-sync's feed) change a patent's
facts through the operator's status use case: ``PatentStatusChanged`` follows, a status
already in force changes nothing, an unknown patent is dead-lettered with the reason."""

from __future__ import annotations

from datetime import date

import httpx
from aiokafka import AIOKafkaConsumer

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import PatentLegalStatusReported
from shared.events.topics import dead_letter_topic
from tests.listing.test_declarations import publish, register
from tests.support.stack import application_number, consumed, eventually, org, read_topic

DAY = date(2026, 12, 1)


def reported(number: str, event: str, sequence: int) -> PatentLegalStatusReported:
    return PatentLegalStatusReported(
        application_number=number,
        status_event=event,
        effective_on=DAY,
        announced_on=DAY,
        sequence=sequence,
    )


async def test_the_offices_announcements_move_the_patents_status(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "南京大学")
    number = await register(listing_client, listing_settings, owner)

    async def status() -> tuple[str, str]:
        patent = await listing_client.get(
            f"/v1/patents/{number}", headers=owner.headers(listing_settings)
        )
        body = patent.json()
        return body["legal_status"], body["annual_fee_status"]

    steps = [
        ("fees_unpaid", ("valid", "unpaid")),
        ("fees_unpaid", ("valid", "unpaid")),  # in force already: no change, no event
        ("restored", ("valid", "paid")),
        ("terminated", ("lapsed", "paid")),
    ]
    for sequence, (event, expected) in enumerate(steps, start=1):
        sent = await publish(listing_settings, reported(number, event, sequence))
        await consumed(listing_settings, sent.id)
        assert await status() == expected

    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: any(
            e.type.endswith("status_changed.v1")
            and e.subject == number
            and e.data["legal_status"] == "lapsed"
            for e in es
        ),
    )
    changes = [e for e in events if e.type.endswith("status_changed.v1") and e.subject == number]
    assert [(e.data["legal_status"], e.data["annual_fee_status"]) for e in changes] == [
        ("valid", "unpaid"),
        ("valid", "paid"),
        ("lapsed", "paid"),
    ]
    assert "terminated" in changes[-1].data["reason"]
    assert "#4" in changes[-1].data["reason"]


async def test_an_announcement_for_an_unknown_patent_is_dead_lettered(
    listing_settings: ListingSettings, listing_client: httpx.AsyncClient
) -> None:
    unknown = await publish(listing_settings, reported(application_number(), "terminated", 1))
    consumer = AIOKafkaConsumer(
        dead_letter_topic(listing_settings.kafka_consumer_group or "ipmarket-listing"),
        bootstrap_servers=listing_settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        found: list[str] = []

        async def dead_lettered() -> bool:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    headers = dict(record.headers)
                    if headers.get("ce_id") == unknown.id.encode():
                        found.append(headers.get("dlq-error", b"").decode())
            return bool(found)

        await eventually(dead_lettered, timeout=60)
    finally:
        await consumer.stop()
    assert "not in the catalogue" in found[0]
