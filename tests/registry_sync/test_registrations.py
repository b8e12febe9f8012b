"""Technology-contract registrations recorded from granted licences, on the real stack."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from registry_sync.config import RegistrySyncSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.events.schemas import LicenseGranted, LicenseKind, OrgRef
from shared.events.topics import dead_letter_topic
from tests.support.stack import (
    OPERATOR_SCOPES,
    Org,
    application_number,
    eventually,
    org,
    read_topic,
)


def granted(licensor: Org, licensee: Org, **overrides: Any) -> LicenseGranted:
    values: dict[str, Any] = {
        "license_id": str(uuid.uuid4()),
        "application_number": application_number(),
        "patent_number": "ZL201710601862.3",
        "kind": LicenseKind.ORDINARY,
        "declaration_id": str(uuid.uuid4()),
        "terms_version": 1,
        "licensors": [OrgRef(name=licensor.name, uscc=licensor.uscc)],
        "licensee": OrgRef(org_id=licensee.org_id, name=licensee.name, uscc=licensee.uscc),
        "effective_date": date(2026, 11, 1),
        "term_end": date(2030, 12, 31),
        "filing_deadline": date(2027, 2, 1),
        "contract_value": "50000.00",
    }
    values.update(overrides)
    return LicenseGranted(**values)


async def send(
    settings: RegistrySyncSettings,
    value: bytes,
    headers: list[tuple[str, bytes]],
    key: bytes = b"201710601862.3",
    topic: str = topics.LICENSE,
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


def cloud_event(event: LicenseGranted, event_id: str | None = None) -> CloudEvent:
    return CloudEvent(
        id=event_id or str(uuid.uuid4()),
        source="/ipmarket/license",
        type=event.event_type,
        data=event.model_dump(mode="json"),
        subject=event.subject(),
        partitionkey=event.partition_key(),
    )


async def publish(settings: RegistrySyncSettings, event: CloudEvent) -> None:
    await send(
        settings, event.kafka_value(), event.kafka_headers(), (event.partitionkey or "").encode()
    )


async def registrations(
    client: httpx.AsyncClient, settings: RegistrySyncSettings, license_id: str
) -> list[dict[str, Any]]:
    operator = org(OrgType.OPERATOR, "平台运营方")
    response = await client.get(
        "/v1/tech-contract-registrations",
        params={"source_reference": license_id},
        headers=operator.headers(settings, scopes=OPERATOR_SCOPES),
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_a_granted_licence_is_recorded_once_and_published(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings
) -> None:
    university = org(OrgType.UNIVERSITY, "清华大学")
    enterprise = org(OrgType.ENTERPRISE, "深圳市新能储能科技有限公司")
    event = granted(university, enterprise)
    first = cloud_event(event)
    await publish(registry_settings, first)
    await publish(registry_settings, first)  # redelivered: same id
    await publish(registry_settings, cloud_event(event))  # re-sent under a new id
    found = await eventually(
        lambda: registrations(registry_client, registry_settings, event.license_id)
    )
    # Let the two copies be handled too, then check there is still one registration: a
    # licence on the same patent has the same key, so it is handled after them, and its
    # registration is published after theirs.
    sentinel = granted(university, enterprise, application_number=event.application_number)
    await publish(registry_settings, cloud_event(sentinel))
    await eventually(lambda: registrations(registry_client, registry_settings, sentinel.license_id))
    found = await registrations(registry_client, registry_settings, event.license_id)
    assert len(found) == 1
    registration = found[0]
    assert registration["contract_category"] == "license"
    assert registration["seller_uscc"] == university.uscc
    assert registration["buyer_uscc"] == enterprise.uscc
    assert registration["contract_value"] == "50000.00"
    # A licence is registered once it is filed.
    assert registration["status"] == "awaiting_filing"
    assert registration["registration_due"] == "2026-12-01"

    events = await read_topic(
        registry_settings.kafka_bootstrap_servers,
        topics.REGISTRY,
        until=lambda evs: any(e.data.get("source_reference") == sentinel.license_id for e in evs),
    )
    recorded = [e for e in events if e.data.get("source_reference") == event.license_id]
    assert len(recorded) == 1
    assert recorded[0].type == "cn.ipmarket.registry.tech_contract.recorded.v1"
    assert recorded[0].partitionkey == event.application_number


async def test_unreadable_events_go_to_the_dead_letter_topic(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings
) -> None:
    university = org(OrgType.UNIVERSITY, "北京理工大学")
    enterprise = org(OrgType.ENTERPRISE, "北京某科技有限公司")
    incomplete = cloud_event(granted(university, enterprise))
    data = dict(incomplete.data)
    del data["licensee"]
    broken = incomplete.model_copy(update={"data": data})
    await publish(registry_settings, broken)
    await send(registry_settings, b"not json", [])
    after = granted(university, enterprise)
    await publish(registry_settings, cloud_event(after))
    # The consumer carries on past both.
    await eventually(lambda: registrations(registry_client, registry_settings, after.license_id))

    group = registry_settings.kafka_consumer_group or ""
    consumer = AIOKafkaConsumer(
        dead_letter_topic(group),
        bootstrap_servers=registry_settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        parked: list[dict[str, bytes]] = []

        async def collect() -> bool:
            # Other tests' events park here too (a filing of a licence never seen): keep
            # the two this test sent.
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                parked.extend(
                    dict(r.headers)
                    for r in records
                    if r.value == b"not json"
                    or broken.id.encode() in (r.value or b"")
                    or dict(r.headers).get("ce_id") == broken.id.encode()
                )
            return len(parked) >= 2

        await eventually(collect)
    finally:
        await consumer.stop()
    reasons = sorted(h["dlq-reason"].decode() for h in parked)
    assert reasons == ["invalid", "malformed"]
    invalid = next(h for h in parked if h["dlq-reason"] == b"invalid")
    assert b"licensee" in invalid["dlq-error"]


async def test_visibility_and_errors(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings
) -> None:
    university = org(OrgType.UNIVERSITY, "同济大学")
    enterprise = org(OrgType.ENTERPRISE, "上海某汽车电子有限公司")
    stranger = org(OrgType.ENTERPRISE, "无关企业")
    event = granted(university, enterprise)
    await publish(registry_settings, cloud_event(event))
    found = await eventually(
        lambda: registrations(registry_client, registry_settings, event.license_id)
    )
    path = f"/v1/tech-contract-registrations/{found[0]['id']}"
    for party in (university, enterprise):
        assert (
            await registry_client.get(path, headers=party.headers(registry_settings))
        ).status_code == 200
    regulator = org(OrgType.REGULATOR, "上海市科学技术委员会")
    assert (
        await registry_client.get(path, headers=regulator.headers(registry_settings))
    ).status_code == 200
    # Others are told it does not exist, as for an id that does not.
    denied = await registry_client.get(path, headers=stranger.headers(registry_settings))
    assert denied.status_code == 404
    assert denied.json()["type"].endswith("/tech-contract-registration-not-found")
    listed = await registry_client.get(
        "/v1/tech-contract-registrations", headers=stranger.headers(registry_settings)
    )
    assert listed.json()["items"] == []
    mine = await registry_client.get(
        "/v1/tech-contract-registrations", headers=enterprise.headers(registry_settings)
    )
    assert [r["source_reference"] for r in mine.json()["items"]] == [event.license_id]
    assert (await registry_client.get(path)).status_code == 401
    missing = await registry_client.get(
        "/v1/tech-contract-registrations/nope", headers=enterprise.headers(registry_settings)
    )
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    bad_number = await registry_client.get(
        "/v1/tech-contract-registrations",
        params={"application_number": "201710601862.7"},
        headers=enterprise.headers(registry_settings),
    )
    assert bad_number.status_code == 422
