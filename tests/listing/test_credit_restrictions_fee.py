"""The open-licence annual-fee reduction follows the patentees' credit restrictions: an
announced declaration's is withheld (with the record) while a patentee is restricted,
eligible again when the last restriction is lifted, and each flip is published once."""

from __future__ import annotations

import uuid

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import EventData
from tests.listing.factories import declaration_body
from tests.listing.test_credit_restrictions import imposed, lifted
from tests.listing.test_declarations import declare, publish, register
from tests.support.stack import consumed, org, read_topic

CHANGED = "cn.ipmarket.listing.declaration.fee_reduction_changed.v1"


async def test_the_fee_reduction_is_withheld_while_a_patentee_is_restricted(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.ENTERPRISE, "深圳市年费示例科技有限公司")
    number = await register(listing_client, listing_settings, owner)
    announced = await declare(listing_client, listing_settings, owner, declaration_body(number))
    assert announced.status_code == 200, announced.text
    declaration_id = announced.json()["id"]
    assert announced.json()["annual_fee_reduction"] == {"state": "eligible", "record_id": None}

    async def reduction() -> dict[str, object]:
        shown = await listing_client.get(
            f"/v1/declarations/{declaration_id}", headers=owner.headers(listing_settings)
        )
        assert shown.status_code == 200, shown.text
        value: dict[str, object] = shown.json()["annual_fee_reduction"]
        return value

    async def consume(event: EventData) -> None:
        await consumed(listing_settings, (await publish(listing_settings, event)).id)

    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    await consume(imposed(owner, first))
    assert await reduction() == {"state": "withheld", "record_id": first}
    # A second record changes nothing while the first holds; lifting the first leaves the
    # reduction withheld by the second; lifting that makes it eligible again.
    await consume(imposed(owner, second))
    assert await reduction() == {"state": "withheld", "record_id": first}
    await consume(lifted(owner, first))
    assert await reduction() == {"state": "withheld", "record_id": second}
    await consume(lifted(owner, second))
    assert await reduction() == {"state": "eligible", "record_id": None}

    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: any(
            e.type == CHANGED
            and e.data["declaration_id"] == declaration_id
            and e.data["annual_fee_reduction"] == "eligible"
            for e in es
        ),
    )
    flips = [
        (e.data["annual_fee_reduction"], e.data["record_id"], e.partitionkey)
        for e in events
        if e.type == CHANGED and e.data["declaration_id"] == declaration_id
    ]
    assert flips == [("withheld", first, number), ("eligible", second, number)]
