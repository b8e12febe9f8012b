"""Every fact that counts as implementation is published (ImplementationRecorded): a
declared implementation, a licence of any kind (license's LicenseGranted), a registered
transfer; through listing's API and broker on the real stack."""

from __future__ import annotations

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.envelope import CloudEvent
from tests.listing.test_declarations import publish, register
from tests.listing.test_state_funded import licence
from tests.listing.test_transfers import transfer
from tests.support.stack import OPERATOR_SCOPES, application_number, consumed, org, read_topic

RECORDED = "cn.ipmarket.listing.implementation.recorded.v1"
OPERATOR = org(OrgType.OPERATOR, "平台运营方")


def recorded(events: list[CloudEvent], number: str) -> list[dict[str, object]]:
    return [e.data for e in events if e.type == RECORDED and e.data["application_number"] == number]


async def test_implementations_licences_and_transfers_are_published(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "浙江大学")
    institution = [{"org_id": None, "name": owner.name, "uscc": owner.uscc}]
    implemented = await register(listing_client, listing_settings, owner)
    response = await listing_client.post(
        f"/v1/patents/{implemented}/implementations",
        json={"kind": "implemented", "date": "2026-03-01", "description": "已在企业产线应用。"},
        headers=owner.headers(listing_settings),
    )
    assert response.status_code == 201, response.text
    licensed = await register(listing_client, listing_settings, owner)
    sent = await publish(listing_settings, licence(licensed, owner))
    await consumed(listing_settings, sent.id)
    # A licence of a patent listing has not catalogued yet is kept and published too.
    uncatalogued = application_number(2018, 1)
    sent = await publish(listing_settings, licence(uncatalogued, owner))
    await consumed(listing_settings, sent.id)
    transferred = await register(listing_client, listing_settings, owner)
    moved = await listing_client.post(
        f"/v1/patents/{transferred}/transfers",
        json=transfer(),
        headers=OPERATOR.headers(listing_settings, OPERATOR_SCOPES),
    )
    assert moved.status_code == 200, moved.text

    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: bool(recorded(es, transferred)),
    )
    assert facts(events, implemented) == [("implemented", "2026-03-01", institution)]
    assert facts(events, licensed) == [("licensed", "2026-01-01", institution)]
    assert facts(events, uncatalogued) == [("licensed", "2026-01-01", [])]
    # The transfer counts for the institution that transferred the patent away.
    assert facts(events, transferred) == [("transferred", "2026-11-20", institution)]


def facts(events: list[CloudEvent], number: str) -> list[tuple[object, ...]]:
    return [(e["kind"], e["recorded_on"], e["institutions"]) for e in recorded(events, number)]
