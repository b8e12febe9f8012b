"""The filings view: license's events, in any order, make one row per licence; an event
the view cannot use goes to the dead-letter topic."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from registry_sync.config import RegistrySyncSettings
from registry_sync.consumers import FILINGS_GROUP_ID
from registry_sync.filings.models import FilingRecord
from shared.auth import OrgType
from shared.events.schemas import LicenseFiled, LicenseGranted, OrgRef
from shared.events.topics import dead_letter_topic
from tests.registry_sync.test_registrations import cloud_event, granted, publish
from tests.support.stack import application_number, eventually, org


@pytest.fixture
async def engine(registry_settings: RegistrySyncSettings) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(registry_settings.database_url)
    yield engine
    await engine.dispose()


def filed(event: LicenseGranted) -> LicenseFiled:
    return LicenseFiled(
        **event.model_dump(include={"license_id", "application_number", "patent_number", "kind"}),
        licensors=event.licensors,
        licensee=event.licensee,
        filing_number="2026990000123",
        filed_on=date(2026, 11, 20),
        filing_deadline=event.filing_deadline,
    )


async def row(engine: AsyncEngine, license_id: str) -> FilingRecord | None:
    async with AsyncSession(engine) as session:
        return await session.get(FilingRecord, license_id)


async def test_a_later_fact_is_never_lost_whatever_the_order(
    registry_client: object, registry_settings: RegistrySyncSettings, engine: AsyncEngine
) -> None:
    university = org(OrgType.UNIVERSITY, "华中科技大学")
    enterprise = org(OrgType.ENTERPRISE, "武汉某光电有限公司")
    event = granted(university, enterprise)
    await publish(registry_settings, cloud_event(filed(event)))  # filed before granted
    await publish(registry_settings, cloud_event(event))
    found = await eventually(lambda: _complete(engine, event.license_id))
    assert found.filing_number == "2026990000123"
    assert found.started_on == event.effective_date
    assert found.contract_value == Decimal("50000.00")
    assert (found.seller_uscc, found.buyer_uscc) == (university.uscc, enterprise.uscc)
    assert found.sellers == [{"org_id": None, "name": "华中科技大学", "uscc": university.uscc}]
    assert found.license_kind == "ordinary"
    # The grant redelivered under a new id (it carries no filing): the filing stays.
    sentinel = granted(university, enterprise, application_number=event.application_number)
    await publish(registry_settings, cloud_event(event))
    await publish(registry_settings, cloud_event(sentinel))
    await eventually(lambda: row(engine, sentinel.license_id))
    again = await row(engine, event.license_id)
    assert again is not None
    assert again.filing_number == "2026990000123"
    assert again.filed_on == date(2026, 11, 20)


async def _complete(engine: AsyncEngine, license_id: str) -> FilingRecord | None:
    found = await row(engine, license_id)
    return found if found is not None and found.started_on and found.filed_on else None


async def test_a_licence_on_no_valid_patent_number_is_dead_lettered(
    registry_client: object, registry_settings: RegistrySyncSettings, engine: AsyncEngine
) -> None:
    university = org(OrgType.UNIVERSITY, "四川大学")
    enterprise = org(OrgType.ENTERPRISE, "成都某医疗器械有限公司")
    bad = granted(university, enterprise, application_number="201710601862.7")
    await publish(registry_settings, cloud_event(bad))
    good = granted(
        university,
        enterprise,
        application_number=application_number(),
        licensors=[OrgRef(name=university.name, uscc=university.uscc)],
    )
    await publish(registry_settings, cloud_event(good))
    await eventually(lambda: row(engine, good.license_id))
    assert await row(engine, bad.license_id) is None

    override = registry_settings.kafka_consumer_group
    group = FILINGS_GROUP_ID.replace("ipmarket-registry-sync", override or "ipmarket-registry-sync")
    consumer = AIOKafkaConsumer(
        dead_letter_topic(group),
        bootstrap_servers=registry_settings.kafka_bootstrap_servers,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        parked: list[dict[str, bytes]] = []

        async def collect() -> bool:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    if bad.license_id.encode() in (record.value or b""):
                        parked.append(dict(record.headers))
            return bool(parked)

        await eventually(collect)
    finally:
        await consumer.stop()
    assert parked[0]["dlq-reason"] == b"handler_failed"
    assert b"201710601862.7" in parked[0]["dlq-error"]
