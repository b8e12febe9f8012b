"""A transfer negotiated in license and recorded by the patent office changes the owner
in listing (``TransferRecorded``): the office's recordal is the fact, and license
checked the pledgee's consent before the contract was signed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import OrgRef, PatenteeRef, PledgeRegistered, TransferRecorded
from tests.listing.test_declarations import publish, register
from tests.support.stack import consumed, org, read_topic, uscc


async def test_a_recorded_transfer_changes_the_owner_even_of_a_pledged_patent(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "北京理工大学")
    number = await register(listing_client, listing_settings, owner)
    pledge = await publish(
        listing_settings,
        PledgeRegistered(
            pledge_id="pl-recorded-" + number,
            application_numbers=[number],
            pledgor=OrgRef(name=owner.name, uscc=owner.uscc),
            pledgee=OrgRef(org_id="bank-boc-bj", name="中国银行北京分行", uscc=uscc("91110000")),
            secured_amount=Decimal("5000000"),
            debt_term_end=date(2029, 6, 30),
            registered_on=date(2026, 1, 5),
        ),
    )
    await consumed(listing_settings, pledge.id)
    buyer = PatenteeRef(
        name="北京新能源汽车股份有限公司",
        uscc=uscc("91110000"),
        share=Decimal("100"),
        party_type="enterprise",
    )
    recorded = await publish(
        listing_settings,
        TransferRecorded(
            deal_id="deal-" + number,
            application_number=number,
            patent_number="ZL" + number,
            transferors=[PatenteeRef(name=owner.name, uscc=owner.uscc)],
            transferees=[buyer],
            recordal_number="2026120600123456",
            recorded_on=date(2026, 12, 6),
            contract_value=Decimal("3500000.00"),
        ),
    )
    await consumed(listing_settings, recorded.id)

    patent = await listing_client.get(
        f"/v1/patents/{number}", headers=owner.headers(listing_settings)
    )
    assert [(p["name"], p["uscc"]) for p in patent.json()["patentees"]] == [
        (buyer.name, buyer.uscc)
    ]
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: any(
            e.type.endswith("owner_changed.v1") and e.subject == number for e in es
        ),
    )
    changed = next(e for e in events if e.type.endswith("owner_changed.v1") and e.subject == number)
    assert changed.data["transfer_reference"] == f"deal deal-{number} (recordal 2026120600123456)"
    assert changed.data["effective_date"] == "2026-12-06"
