"""The patent office's outcomes of what registry-sync submitted: a licence's filing is
recorded as a party's entry is (``LicenseFiled`` follows), once; another number for a
licence already filed keeps the first and dead-letters the event with the reason; a
transfer's recordal is recorded as the operator's entry is (``TransferRecorded``)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import (
    LicenseFiled,
    LicenseFilingRegistered,
    TransferRecorded,
    TransferRegistrationRecorded,
)
from shared.events.topics import dead_letter_topic
from tests.license.client import emitted, licence_of
from tests.license.deal_calls import act, open_deal, registered_patent, sign, transfer_offer
from tests.license.factories import EventFeed
from tests.license.test_filing import paid_licence
from tests.support.stack import OPERATOR_SCOPES, consumed, org, read_topic, real_today


def registered(licence: dict[str, object], number: str) -> LicenseFilingRegistered:
    return LicenseFilingRegistered(
        recordal_id=str(uuid.uuid4()),
        application_number=str(licence["application_number"]),
        license_id=str(licence["id"]),
        filing_number=number,
        filed_on=real_today() - timedelta(days=1),
    )


async def test_the_offices_filing_files_the_licence_once(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "西安交通大学")
    licensee = org(OrgType.ENTERPRISE, "西安某电子科技有限公司")
    licence = await paid_licence(
        license_client, license_settings, feed, university, licensee, paid_days_ago=10
    )
    first = await feed.publish(registered(licence, "2026990000777"))
    again = await feed.publish(registered(licence, "2026990000777"))  # the office said it twice
    await consumed(license_settings, first.id)
    await consumed(license_settings, again.id)

    body = await licence_of(license_client, license_settings, licensee, str(licence["id"]))
    assert body["status"] == "filed"
    assert body["filing_number"] == "2026990000777"
    assert await emitted(license_settings, LicenseFiled.event_type, str(licence["id"])) == {
        licence["id"]: 1
    }


async def test_another_number_for_a_filed_licence_keeps_the_first_and_dead_letters(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "华中科技大学")
    licensee = org(OrgType.ENTERPRISE, "武汉某光电有限公司")
    licence = await paid_licence(
        license_client, license_settings, feed, university, licensee, paid_days_ago=10
    )
    filed = await license_client.post(
        f"/v1/licenses/{licence['id']}/filing",
        json={"filing_number": "2026990000100", "filed_on": str(real_today())},
        headers=licensee.headers(license_settings),
    )
    assert filed.status_code == 201, filed.text
    conflicting = await feed.publish(registered(licence, "2026990000200"))
    events = await read_topic(
        license_settings.kafka_bootstrap_servers,
        dead_letter_topic(license_settings.kafka_consumer_group or "ipmarket-license"),
        until=lambda evs: any(e.id == conflicting.id for e in evs),
        timeout=60,
    )
    assert any(e.id == conflicting.id for e in events)
    body = await licence_of(license_client, license_settings, licensee, str(licence["id"]))
    assert body["filing_number"] == "2026990000100"


async def test_the_offices_recordal_records_a_signed_transfer_once(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "天津大学")
    buyer = org(OrgType.ENTERPRISE, "天津某化工有限公司")
    number = await registered_patent(feed, license_settings, university)
    asked = await open_deal(
        license_client, license_settings, buyer, number, university, transfer=transfer_offer(buyer)
    )
    assert asked.status_code == 201, asked.text
    deal = asked.json()
    accepted = await act(license_client, license_settings, university, deal, "acceptance")
    assert accepted.status_code == 200, accepted.text
    for signer in (buyer, university):
        signed = await sign(license_client, license_settings, signer, deal["id"])
        assert signed.status_code == 201, signed.text

    def recorded(recordal_number: str) -> TransferRegistrationRecorded:
        return TransferRegistrationRecorded(
            recordal_id=str(uuid.uuid4()),
            application_number=number,
            deal_id=deal["id"],
            recordal_number=recordal_number,
            recorded_on=real_today(),
        )

    for event in (recorded("2026ZR0000042"), recorded("2026ZR0000042")):
        await consumed(license_settings, (await feed.publish(event)).id)
    operator = org(OrgType.OPERATOR, "平台运营方")
    seen = await license_client.get(
        f"/v1/deals/{deal['id']}", headers=operator.headers(license_settings, OPERATOR_SCOPES)
    )
    assert seen.status_code == 200, seen.text
    assert (seen.json()["state"], seen.json()["recordal_number"]) == ("recorded", "2026ZR0000042")
    events = await read_topic(
        license_settings.kafka_bootstrap_servers,
        topics.LICENSE,
        until=lambda es: any(
            e.type == TransferRecorded.event_type and e.data["deal_id"] == deal["id"] for e in es
        ),
    )
    transfers = [
        e
        for e in events
        if e.type == TransferRecorded.event_type and e.data["deal_id"] == deal["id"]
    ]
    assert len(transfers) == 1
    assert transfers[0].data["recordal_number"] == "2026ZR0000042"
