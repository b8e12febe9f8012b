"""Transfer deals and failed deals through the HTTP API: the pledgee's consent before a
pledged patent's transfer is signed, the operator's entry of the office's recordal, and
a deal that fails when its patent lapses or changes owner."""

from __future__ import annotations

from typing import Any

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import ConsentSubject, DealFailed, TransferAgreed, TransferRecorded
from tests.license.client import assert_problem
from tests.license.deal_calls import act, open_deal, registered_patent, sign, transfer_offer
from tests.license.factories import (
    EventFeed,
    consent_recorded,
    owner_changed,
    pledge_registered,
    status_changed,
)
from tests.support.stack import OPERATOR_SCOPES, consumed, org, read_topic, real_today


async def _events(settings: LicenseSettings, event_type: str, deal_id: str) -> list[dict[str, Any]]:
    found = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.LICENSE,
        until=lambda es: any(e.type == event_type and e.data["deal_id"] == deal_id for e in es),
    )
    return [e.data for e in found if e.type == event_type and e.data["deal_id"] == deal_id]


async def test_a_pledged_patent_is_transferred_once_the_pledgee_consents_and_then_recorded(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "北京理工大学")
    buyer = org(OrgType.ENTERPRISE, "北京新能源汽车股份有限公司")
    number = await registered_patent(feed, license_settings, university)
    pledge = pledge_registered(university, number)
    await consumed(license_settings, (await feed.publish(pledge)).id)

    asked = await open_deal(
        license_client, license_settings, buyer, number, university, transfer=transfer_offer(buyer)
    )
    assert asked.status_code == 201, asked.text
    deal = asked.json()
    assert deal["deal_type"] == "transfer"
    assert (
        await act(license_client, license_settings, university, deal, "acceptance")
    ).status_code == 200
    assert (await sign(license_client, license_settings, buyer, deal["id"])).status_code == 201
    refused = await sign(license_client, license_settings, university, deal["id"])
    assert_problem(
        refused, 422, "deal-transfer-pledged-without-consent", pledge.pledge_id, buyer.name
    )

    consent = consent_recorded(pledge, ConsentSubject.TRANSFER, buyer.uscc)
    await consumed(license_settings, (await feed.publish(consent)).id)
    signed = await sign(license_client, license_settings, university, deal["id"])
    assert signed.status_code == 201, signed.text
    assert signed.json()["state"] == "awaiting_recordal"
    [agreed] = await _events(license_settings, TransferAgreed.event_type, deal["id"])
    assert agreed["contract_value"] == "3500000.00"
    assert agreed["transferees"][0]["uscc"] == buyer.uscc

    operator = org(OrgType.OPERATOR, "平台运营方")
    body = {"recordal_number": "2026120600123456", "recorded_on": str(real_today())}
    by_party = await license_client.post(
        f"/v1/deals/{deal['id']}/recordal", json=body, headers=university.headers(license_settings)
    )
    assert by_party.status_code == 403
    recorded = await license_client.post(
        f"/v1/deals/{deal['id']}/recordal",
        json=body,
        headers=operator.headers(license_settings, OPERATOR_SCOPES),
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["state"] == "recorded"
    [event] = await _events(license_settings, TransferRecorded.event_type, deal["id"])
    assert (event["recordal_number"], event["transferors"][0]["uscc"]) == (
        "2026120600123456",
        university.uscc,
    )
    again = await license_client.post(
        f"/v1/deals/{deal['id']}/recordal",
        json=body,
        headers=operator.headers(license_settings, OPERATOR_SCOPES),
    )
    assert_problem(again, 409, "deal-not-awaiting-recordal")


async def test_a_pledge_registered_after_the_agreement_stops_the_recordal_until_consent(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    """The pledge service registered a pledge before it heard of the signed transfer
    (the two crossed): the owner does not change until its pledgee consents."""
    university = org(OrgType.UNIVERSITY, "华中科技大学")
    buyer = org(OrgType.ENTERPRISE, "武汉某光电子有限公司")
    number = await registered_patent(feed, license_settings, university)
    asked = await open_deal(
        license_client, license_settings, buyer, number, university, transfer=transfer_offer(buyer)
    )
    deal = asked.json()
    assert (await act(license_client, license_settings, university, deal, "acceptance")).is_success
    for party in (buyer, university):
        assert (await sign(license_client, license_settings, party, deal["id"])).status_code == 201

    pledge = pledge_registered(university, number)
    await consumed(license_settings, (await feed.publish(pledge)).id)
    operator = org(OrgType.OPERATOR, "平台运营方").headers(license_settings, OPERATOR_SCOPES)
    body = {"recordal_number": "2026120600654321", "recorded_on": str(real_today())}
    refused = await license_client.post(
        f"/v1/deals/{deal['id']}/recordal", json=body, headers=operator
    )
    assert_problem(
        refused, 422, "deal-transfer-pledged-without-consent", pledge.pledge_id, buyer.name
    )

    consent = consent_recorded(pledge, ConsentSubject.TRANSFER, buyer.uscc)
    await consumed(license_settings, (await feed.publish(consent)).id)
    recorded = await license_client.post(
        f"/v1/deals/{deal['id']}/recordal", json=body, headers=operator
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["state"] == "recorded"


async def test_a_deal_fails_when_its_patent_lapses_or_changes_owner(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "南京大学")
    enterprise = org(OrgType.ENTERPRISE, "南京某半导体有限公司")
    lapsing = await registered_patent(feed, license_settings, university)
    sold = await registered_patent(feed, license_settings, university)
    deals = {}
    for number in (lapsing, sold):
        offered = await open_deal(license_client, license_settings, university, number, enterprise)
        deals[number] = offered.json()
    agreed = await act(license_client, license_settings, enterprise, deals[sold], "acceptance")
    assert agreed.status_code == 200, agreed.text

    await consumed(license_settings, (await feed.publish(status_changed(lapsing))).id)
    buyer = org(OrgType.ENTERPRISE, "江苏某集成电路有限公司")
    await consumed(
        license_settings, (await feed.publish(owner_changed(sold, university, buyer))).id
    )

    late = await act(license_client, license_settings, enterprise, deals[lapsing], "acceptance")
    assert_problem(late, 409, "deal-failed", "terminated")
    unsigned = await sign(license_client, license_settings, enterprise, deals[sold]["id"])
    assert_problem(unsigned, 409, "deal-failed", "changed owner", buyer.name)
    seen = await license_client.get(
        f"/v1/deals/{deals[sold]['id']}", headers=university.headers(license_settings)
    )
    assert (seen.json()["state"], seen.json()["failure_reason"]) == (
        "failed",
        f"patent {sold} changed owner (now {buyer.name})",
    )
    [failed] = await _events(license_settings, DealFailed.event_type, deals[lapsing]["id"])
    assert "terminated" in failed["reason"]


async def test_a_licence_deal_on_a_pledged_patent_takes_effect_once_the_pledgee_consents(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "天津大学")
    licensee = org(OrgType.ENTERPRISE, "天津某化工新材料有限公司")
    number = await registered_patent(feed, license_settings, university)
    pledge = pledge_registered(university, number)
    await consumed(license_settings, (await feed.publish(pledge)).id)

    deal = (await open_deal(license_client, license_settings, university, number, licensee)).json()
    assert (await act(license_client, license_settings, licensee, deal, "acceptance")).is_success
    assert (await sign(license_client, license_settings, licensee, deal["id"])).is_success
    refused = await sign(license_client, license_settings, university, deal["id"])
    assert_problem(refused, 422, "license-pledged-without-consent", pledge.pledge_id)

    consent = consent_recorded(pledge, ConsentSubject.LICENSE, licensee.uscc)
    await consumed(license_settings, (await feed.publish(consent)).id)
    signed = await sign(license_client, license_settings, university, deal["id"])
    assert signed.status_code == 201, signed.text
    assert signed.json()["state"] == "effective"
    assert signed.json()["license_id"]
    # A licence deal has no recordal to enter (nor any pledgee to ask about one).
    entered = await license_client.post(
        f"/v1/deals/{deal['id']}/recordal",
        json={"recordal_number": "2026120600111111", "recorded_on": str(real_today())},
        headers=org(OrgType.OPERATOR, "平台运营方").headers(license_settings, OPERATOR_SCOPES),
    )
    assert_problem(entered, 409, "deal-not-awaiting-recordal")
