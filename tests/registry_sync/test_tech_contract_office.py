"""Registrations against the simulated registration office, a real HTTP server process:
a filed licence is submitted and registered; the office refusing, answering duplicate,
timing out, failing with 5xx, answering garbage or a malformed number, and a status going
backwards each end in the right state, and the office receives each contract once."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from devstack.processes import ServiceProcess
from registry_sync.config import RegistrySyncSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.events.schemas import LicenseFiled, LicenseGranted, PatentRegistered, TransferAgreed
from shared.events.schemas.base import EventData, PatenteeRef
from shared.events.topics import dead_letter_topic
from tests.registry_sync.test_registrations import granted, registrations, send
from tests.support.stack import OPERATOR_SCOPES, Org, eventually, org, read_topic

PREFIX = "cn.ipmarket.registry.tech_contract."


async def feed(settings: RegistrySyncSettings, *events: EventData) -> None:
    for event in events:
        envelope = CloudEvent(
            id=str(uuid.uuid4()),
            source="/ipmarket/test",
            type=event.event_type,
            data=event.model_dump(mode="json"),
            subject=event.subject(),
            partitionkey=event.partition_key(),
        )
        await send(
            settings,
            envelope.kafka_value(),
            envelope.kafka_headers(),
            event.partition_key().encode(),
            topic=event.topic,
        )


def patent(licence: LicenseGranted, owner: Org) -> PatentRegistered:
    return PatentRegistered(
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        patent_type="invention",
        title="一种锂电池健康状态检测方法",
        ipc_codes=["H01M 10/48"],
        industry_codes=["C384"],
        patentees=[PatenteeRef(name=owner.name, uscc=owner.uscc)],
        filing_date=date(2017, 7, 20),
        expiry_date=date(2037, 7, 20),
        legal_status="valid",
        annual_fee_status="paid",
    )


def filed(licence: LicenseGranted) -> LicenseFiled:
    return LicenseFiled(
        license_id=licence.license_id,
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        kind=licence.kind,
        licensors=licence.licensors,
        licensee=licence.licensee,
        filing_number=f"2026990{uuid.uuid4().int % 10**6:06d}",
        filed_on=date(2026, 11, 20),
        filing_deadline=licence.filing_deadline,
    )


async def take_and_file(
    settings: RegistrySyncSettings, seller: Org, buyer: Org, **overrides: Any
) -> LicenseGranted:
    licence = granted(seller, buyer, **overrides)
    await feed(settings, patent(licence, seller), licence, filed(licence))
    return licence


async def registration_in(
    client: httpx.AsyncClient,
    settings: RegistrySyncSettings,
    license_id: str,
    *statuses: str,
    timeout: float = 20,
) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        found = await registrations(client, settings, license_id)
        return found[0] if found and found[0]["status"] in statuses else None

    result: dict[str, Any] = await eventually(check, timeout=timeout)
    return result


async def received(office: ServiceProcess, application_number: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=office.url) as client:
        response = await client.get(
            "/_control/contracts", params={"application_number": application_number}
        )
        contracts: list[dict[str, Any]] = response.json()
        return contracts


async def control(office: ServiceProcess, path: str, body: dict[str, Any] | None = None) -> None:
    async with httpx.AsyncClient(base_url=office.url) as client:
        response = await client.post(path, json=body or {})
        assert response.status_code == 200, response.text


async def published(settings: RegistrySyncSettings, registration_id: str, last: str) -> list[str]:
    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.REGISTRY,
        until=lambda es: any(
            e.data.get("registration_id") == registration_id and e.type == f"{PREFIX}{last}.v1"
            for e in es
        ),
    )
    return [
        e.type.removeprefix(PREFIX).removesuffix(".v1")
        for e in events
        if e.data.get("registration_id") == registration_id
    ]


def parties() -> tuple[Org, Org]:
    return org(OrgType.UNIVERSITY, "清华大学"), org(
        OrgType.ENTERPRISE, "深圳市新能储能科技有限公司"
    )


async def test_a_filed_licence_is_submitted_and_registered_with_a_number(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    tech_office: ServiceProcess,
) -> None:
    university, enterprise = parties()
    licence = await take_and_file(registry_settings, university, enterprise)
    registration = await registration_in(
        registry_client, registry_settings, licence.license_id, "registered"
    )
    assert len(registration["registration_number"]) == 16
    assert registration["registration_number"].isdigit()
    assert registration["certified_contract_value"] == "50000.00"
    assert registration["certified_technology_value"] == "50000.00"
    assert registration["technical_field"].startswith("电学 (IPC H01M 10/48)")
    assert registration["ip_type"] == "invention_patent"
    assert registration["parties"][1]["region_code"] == enterprise.uscc[2:8]
    assert len(await received(tech_office, licence.application_number)) == 1
    # The buyer sees the number and the certified values too.
    path = f"/v1/tech-contract-registrations/{registration['id']}"
    seen = await registry_client.get(path, headers=enterprise.headers(registry_settings))
    assert seen.json()["registration_number"] == registration["registration_number"]
    kinds = await published(registry_settings, registration["id"], "registered")
    assert kinds[0] == "recorded"
    assert kinds[-2:] == ["submitted", "registered"]
    assert "details_changed" in kinds

    # The office reports it processing again: registered is final here.
    await control(tech_office, f"/_control/contracts/{registration['office_reference']}/regress")
    await asyncio.sleep(1)  # a few poll intervals
    again = await registry_client.get(path, headers=university.headers(registry_settings))
    assert again.json()["status"] == "registered"
    assert again.json()["registration_number"] == registration["registration_number"]


async def test_a_running_royalty_licence_waits_for_the_sellers_estimate(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    tech_office: ServiceProcess,
) -> None:
    university, enterprise = parties()
    licence = await take_and_file(registry_settings, university, enterprise, contract_value=None)
    waiting = await registration_in(
        registry_client, registry_settings, licence.license_id, "awaiting_details"
    )
    assert waiting["missing_fields"] == ["contract_value", "technology_value"]
    path = f"/v1/tech-contract-registrations/{waiting['id']}"
    estimate = {"version": waiting["version"], "contract_value": "300000.00"}
    # The buyer may see it but not change it; a stranger is told it does not exist.
    buyer = await registry_client.patch(
        path, json=estimate, headers=enterprise.headers(registry_settings)
    )
    assert buyer.status_code == 403
    assert buyer.json()["type"].endswith("/not-the-seller")
    stranger = org(OrgType.ENTERPRISE, "无关企业")
    hidden = await registry_client.patch(
        path, json=estimate, headers=stranger.headers(registry_settings)
    )
    missing = await registry_client.patch(
        "/v1/tech-contract-registrations/nope",
        json=estimate,
        headers=stranger.headers(registry_settings),
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(waiting["id"], "nope") == missing.json()["detail"]
    too_much = await registry_client.patch(
        path,
        json={**estimate, "technology_value": "300000.01"},
        headers=university.headers(registry_settings),
    )
    assert too_much.status_code == 422
    assert too_much.json()["type"].endswith("/technology-value-above-contract-value")
    partial = await registry_client.patch(
        path, json=estimate, headers=university.headers(registry_settings)
    )
    assert partial.status_code == 200, partial.text
    assert partial.json()["status"] == "awaiting_details"
    assert partial.json()["missing_fields"] == ["technology_value"]
    stale = await registry_client.patch(
        path,
        json={**estimate, "technology_value": "250000.00"},
        headers=university.headers(registry_settings),
    )
    assert stale.status_code == 409
    assert stale.json()["type"].endswith("/registration-version-stale")
    complete = await registry_client.patch(
        path,
        json={"version": partial.json()["version"], "technology_value": "250000.00"},
        headers=university.headers(registry_settings),
    )
    assert complete.status_code == 200, complete.text
    registered = await registration_in(
        registry_client, registry_settings, licence.license_id, "registered"
    )
    assert registered["certified_technology_value"] == "250000.00"
    assert len(await received(tech_office, licence.application_number)) == 1


async def test_a_refusal_is_corrected_and_resubmitted(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    tech_office: ServiceProcess,
) -> None:
    university, enterprise = parties()
    await control(
        tech_office,
        "/_control/refuse-next",
        {"field": "technical_field", "code": "mismatch", "message": "技术领域与专利不符"},
    )
    licence = await take_and_file(registry_settings, university, enterprise)
    refused = await registration_in(
        registry_client, registry_settings, licence.license_id, "refused"
    )
    assert refused["refusal_reasons"] == [
        {"field": "technical_field", "code": "mismatch", "message": "技术领域与专利不符"}
    ]
    path = f"/v1/tech-contract-registrations/{refused['id']}"
    corrected = await registry_client.patch(
        path,
        json={"version": refused["version"], "technical_field": "电学：储能电池管理"},
        headers=university.headers(registry_settings),
    )
    assert corrected.json()["status"] == "refused"  # until the seller resubmits
    early = await registry_client.post(
        f"{path}/resubmission",
        json={"version": refused["version"]},
        headers=university.headers(registry_settings),
    )
    assert early.status_code == 409  # a stale version
    again = await registry_client.post(
        f"{path}/resubmission",
        json={"version": corrected.json()["version"]},
        headers=university.headers(registry_settings),
    )
    assert again.status_code == 200, again.text
    registered = await registration_in(
        registry_client, registry_settings, licence.license_id, "registered"
    )
    assert registered["technical_field"] == "电学：储能电池管理"
    contracts = await received(tech_office, licence.application_number)
    assert [c["status"] for c in contracts] == ["refused", "registered"]
    kinds = await published(registry_settings, refused["id"], "registered")
    assert kinds.index("refused") < kinds.index("resubmitted") < kinds.index("registered")


async def test_a_contract_the_office_refuses_on_receipt_is_refused_with_its_reasons(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    tech_office: ServiceProcess,
) -> None:
    university, enterprise = parties()
    assert enterprise.uscc is not None
    wrong = "0" if enterprise.uscc[17] != "0" else "1"
    bad = replace(enterprise, uscc=enterprise.uscc[:17] + wrong)  # its check character
    licence = await take_and_file(registry_settings, university, bad)
    refused = await registration_in(
        registry_client, registry_settings, licence.license_id, "refused"
    )
    assert [(r["field"], r["code"]) for r in refused["refusal_reasons"]] == [
        ("parties[1].uscc", "invalid_uscc")
    ]
    assert await received(tech_office, licence.application_number) == []


async def test_a_duplicate_follows_the_first_submission(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    tech_office: ServiceProcess,
) -> None:
    university, enterprise = parties()
    first = await take_and_file(registry_settings, university, enterprise)
    one = await registration_in(registry_client, registry_settings, first.license_id, "registered")
    # The same contract (parties, patent, signing date) recorded under another licence.
    second = await take_and_file(
        registry_settings, university, enterprise, application_number=first.application_number
    )
    other = await registration_in(
        registry_client, registry_settings, second.license_id, "registered"
    )
    # Both follow the one contract the office holds.
    assert other["office_reference"] == one["office_reference"]
    assert other["registration_number"] == one["registration_number"]
    assert len(await received(tech_office, first.application_number)) == 1


async def test_timeouts_5xx_and_garbage_are_retried_without_a_second_submission(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    tech_office: ServiceProcess,
) -> None:
    university, enterprise = parties()
    for faults, error in (
        (["timeout", "timeout"], "timeout"),
        (["server_error", "server_error"], "server_error"),
        (["garbage"], "garbage"),
    ):
        await control(tech_office, "/_control/faults", {"queue": faults})
        licence = await take_and_file(registry_settings, university, enterprise)
        registration = await registration_in(
            registry_client, registry_settings, licence.license_id, "registered"
        )
        # A slow answer on a loaded machine may add a retry; the fault always makes one.
        assert registration["submission_attempts"] >= 2, error
        assert len(await received(tech_office, licence.application_number)) == 1
        events = await read_topic(
            registry_settings.kafka_bootstrap_servers,
            topics.REGISTRY,
            until=lambda es, rid=registration["id"]: any(
                e.data.get("registration_id") == rid and e.type.endswith("registered.v1")
                for e in es
            ),
        )
        retried = [
            e.data
            for e in events
            if e.data.get("registration_id") == registration["id"]
            and e.type == PREFIX + "submission_retried.v1"
        ]
        assert retried[0]["error_class"] == error
        assert len(retried) == registration["submission_attempts"] - 1


async def test_a_malformed_registration_number_is_never_recorded(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    tech_office: ServiceProcess,
) -> None:
    university, enterprise = parties()
    await control(tech_office, "/_control/malformed-next-number")
    licence = await take_and_file(registry_settings, university, enterprise)

    async def garbled() -> dict[str, Any] | None:
        found = await registrations(registry_client, registry_settings, licence.license_id)
        error = found[0]["last_error"] if found else None
        return found[0] if error and "16 digits" in error else None

    registration = await eventually(garbled)
    assert registration["status"] == "submitted"
    assert registration["registration_number"] is None
    await asyncio.sleep(0.6)  # a few poll intervals
    operator = org(OrgType.OPERATOR, "平台运营方")
    later = await registry_client.get(
        f"/v1/tech-contract-registrations/{registration['id']}",
        headers=operator.headers(registry_settings, scopes=OPERATOR_SCOPES),
    )
    assert later.json()["status"] == "submitted"
    assert later.json()["registration_number"] is None

    # Once the office corrects its record, the next poll registers it with the number.
    reference = later.json()["office_reference"]
    await control(tech_office, f"/_control/contracts/{reference}/renumber")

    async def corrected() -> dict[str, Any] | None:
        found = await registrations(registry_client, registry_settings, licence.license_id)
        return found[0] if found and found[0]["status"] == "registered" else None

    number = (await eventually(corrected))["registration_number"]
    assert len(number) == 16
    assert number.isdigit()


async def test_a_signed_transfer_is_registered_without_a_filing(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    tech_office: ServiceProcess,
) -> None:
    university, enterprise = parties()
    licence = granted(university, enterprise)  # for the patent's numbers only
    transfer = TransferAgreed(
        deal_id=str(uuid.uuid4()),
        application_number=licence.application_number,
        patent_number=licence.patent_number,
        transferors=[PatenteeRef(name=university.name, uscc=university.uscc)],
        transferees=[PatenteeRef(name=enterprise.name, uscc=enterprise.uscc)],
        contract_value=Decimal("1200000.00"),
        signed_on=date(2026, 11, 15),
    )
    await feed(registry_settings, patent(licence, university), transfer)
    registration = await registration_in(
        registry_client, registry_settings, transfer.deal_id, "registered"
    )
    assert registration["contract_category"] == "transfer_patent_right"
    assert registration["source_kind"] == "transfer"
    assert registration["seller_uscc"] == university.uscc
    assert registration["certified_technology_value"] == "1200000.00"
    assert registration["filing_number"] is None


async def test_a_filing_of_a_licence_never_seen_is_dead_lettered_with_the_reason(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings
) -> None:
    university, enterprise = parties()
    unknown = filed(granted(university, enterprise))
    await feed(registry_settings, unknown)
    consumer = AIOKafkaConsumer(
        dead_letter_topic(registry_settings.kafka_consumer_group or ""),
        bootstrap_servers=registry_settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        parked: list[dict[str, bytes]] = []

        async def collect() -> dict[str, bytes] | None:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                parked.extend(dict(r.headers) for r in records)
            return next(
                (h for h in parked if unknown.license_id.encode() in h.get("dlq-error", b"")),
                None,
            )

        headers = await eventually(collect, timeout=30)
    finally:
        await consumer.stop()
    assert headers["dlq-reason"] == b"handler_failed"
    assert b"never saw it granted" in headers["dlq-error"]


async def test_a_registration_waits_for_the_patents_catalogue_entry(
    registry_client: httpx.AsyncClient,
    registry_settings: RegistrySyncSettings,
    tech_office: ServiceProcess,
) -> None:
    university, enterprise = parties()
    licence = granted(university, enterprise)
    await feed(registry_settings, licence, filed(licence))
    waiting = await registration_in(
        registry_client, registry_settings, licence.license_id, "awaiting_details"
    )
    assert waiting["missing_fields"] == ["technical_field", "ip_type"]
    await feed(registry_settings, patent(licence, university))
    registered = await registration_in(
        registry_client, registry_settings, licence.license_id, "registered"
    )
    assert registered["technical_field"] == "电学 (IPC H01M 10/48); 国民经济行业 C384"
    assert registered["ip_type"] == "invention_patent"
