"""A patent whose transfer both parties signed takes no pledge until the transfer is
recorded or its deal fails: the pledge service learns the agreement from license's
events, through the API."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx

from pledge.config import PledgeSettings
from shared.auth import OrgType
from shared.events.schemas import DealFailed, PatenteeRef, TransferAgreed
from tests.pledge.factories import (
    application,
    assert_refused,
    known_patent,
    publish,
    registered,
)
from tests.support.stack import consumed, org


async def test_a_patent_being_transferred_takes_no_pledge_until_the_deal_fails(
    pledge_client: httpx.AsyncClient, pledge_settings: PledgeSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "厦门大学")
    buyer = org(OrgType.ENTERPRISE, "厦门某海洋生物科技有限公司")
    bank = org(OrgType.BANK, "厦门国际银行")
    number = await known_patent(pledge_client, pledge_settings, registered([owner]))
    created = await pledge_client.post(
        "/v1/pledges", json=application(number, bank), headers=owner.headers(pledge_settings)
    )
    assert created.status_code == 201, created.text
    pledge_id = created.json()["id"]

    deal_id = str(uuid.uuid4())
    agreed = TransferAgreed(
        deal_id=deal_id,
        application_number=number,
        patent_number="ZL" + number,
        transferors=[PatenteeRef(name=owner.name, uscc=owner.uscc)],
        transferees=[PatenteeRef(name=buyer.name, uscc=buyer.uscc)],
        contract_value=Decimal("2800000.00"),
        signed_on=date(2026, 12, 1),
    )
    event_id = str(uuid.uuid4())
    await publish(pledge_settings, agreed, event_id)
    await consumed(pledge_settings, event_id)
    registration = {"registration_number": "Y2026980000888", "registered_on": "2026-12-02"}
    refused = await pledge_client.post(
        f"/v1/pledges/{pledge_id}/registration",
        json=registration,
        headers=bank.headers(pledge_settings),
    )
    assert_refused(refused, 422, "pledge-patent-being-transferred", number, buyer.name, deal_id)

    failed = DealFailed(
        deal_id=deal_id,
        application_number=number,
        reason=f"patent {number}: its legal status is terminated",
        failed_at=datetime(2026, 12, 3, tzinfo=UTC),
    )
    event_id = str(uuid.uuid4())
    await publish(pledge_settings, failed, event_id)
    await consumed(pledge_settings, event_id)
    registered_now = await pledge_client.post(
        f"/v1/pledges/{pledge_id}/registration",
        json=registration,
        headers=bank.headers(pledge_settings),
    )
    assert registered_now.status_code == 200, registered_now.text
