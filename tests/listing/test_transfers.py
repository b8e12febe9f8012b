"""Transfers: the only way a patent changes owner; a pledged one needs its pledgee."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import (
    ConsentSubject,
    OrgRef,
    PatenteeRef,
    PledgedPatentsTransferred,
    PledgeeConsentRecorded,
    PledgeRegistered,
)
from tests.listing.test_declarations import publish, register
from tests.support.stack import (
    OPERATOR_SCOPES,
    consumed,
    eventually,
    org,
    read_topic,
    uscc,
)

OPERATOR = org(OrgType.OPERATOR, "平台运营方")
BANK = OrgRef(org_id="bank-ccb-wh", name="中国建设银行武汉分行", uscc=uscc("91420100"))
OTHER_BUYER = uscc("91420100")
BUYER = {
    "name": "武汉某激光科技有限公司",
    "uscc": uscc("91420100"),
    "share": "100",
    "party_type": "enterprise",
}


def transfer(**overrides: object) -> dict[str, object]:
    return {
        "patentees": [BUYER],
        "transfer_reference": "2026112000098765",
        "effective_date": "2026-11-20",
        **overrides,
    }


async def test_a_pledged_patent_is_transferred_only_with_the_pledgees_consent(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.UNIVERSITY, "武汉大学")
    number = await register(listing_client, listing_settings, owner)
    operator = OPERATOR.headers(listing_settings, OPERATOR_SCOPES)
    pledge_id = "pl-transfer-" + number
    await publish(
        listing_settings,
        PledgeRegistered(
            pledge_id=pledge_id,
            application_numbers=[number],
            pledgor=OrgRef(name=owner.name, uscc=owner.uscc),
            pledgee=BANK,
            secured_amount=Decimal("2000000"),
            debt_term_end=date(2029, 6, 30),
            registered_on=date(2026, 11, 1),
            open_license_consented=False,
        ),
    )

    async def pledged() -> bool:
        r = await listing_client.get(
            f"/v1/patents/{number}/encumbrances", headers=owner.headers(listing_settings)
        )
        return bool(r.json()["items"])

    await eventually(pledged)
    url = f"/v1/patents/{number}/transfers"
    refused = await listing_client.post(url, json=transfer(), headers=operator)
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"].endswith("/transfer-pledged-without-consent")
    assert pledge_id in refused.json()["detail"]

    def consent(counterparty: str) -> PledgeeConsentRecorded:
        return PledgeeConsentRecorded(
            pledge_id=pledge_id,
            application_numbers=[number],
            pledgee=BANK,
            consent_to=ConsentSubject.TRANSFER,
            counterparty_uscc=counterparty,
            recorded_on=date(2026, 11, 18),
        )

    # Consent to another transferee does not count: once listing has handled it (its id
    # is in listing's inbox), the transfer is still refused.
    elsewhere = await publish(listing_settings, consent(OTHER_BUYER))
    await consumed(listing_settings, elsewhere.id)
    still = await listing_client.post(url, json=transfer(), headers=operator)
    assert still.status_code == 422, still.text
    assert still.json()["type"].endswith("/transfer-pledged-without-consent")
    assert pledge_id in still.json()["detail"]
    # Consent to this transferee does.
    await publish(listing_settings, consent(BUYER["uscc"]))

    async def transferred() -> httpx.Response | None:
        r = await listing_client.post(url, json=transfer(), headers=operator)
        return r if r.status_code == 200 else None

    done = await eventually(transferred)
    assert [p["name"] for p in done.json()["patentees"]] == [BUYER["name"]]
    assert (
        await listing_client.post(url, json=transfer(), headers=owner.headers(listing_settings))
    ).status_code == 403
    bad = await listing_client.post(
        url, json=transfer(patentees=[{**BUYER, "share": "60"}]), headers=operator
    )
    assert bad.status_code == 422
    assert "add up to 100" in bad.text
    events = await read_topic(
        listing_settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: any(
            e.type.endswith("owner_changed.v1") and e.subject == number for e in es
        ),
    )
    changed = next(e for e in events if e.type.endswith("owner_changed.v1") and e.subject == number)
    assert changed.data["previous_patentees"][0]["name"] == owner.name
    assert changed.data["transfer_reference"] == "2026112000098765"


async def test_a_pledge_disposal_transfers_the_patents_to_the_buyer(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner = org(OrgType.ENTERPRISE, "武汉某光电有限公司")
    first = await register(
        listing_client,
        listing_settings,
        owner,
        patentees=[
            {"name": owner.name, "uscc": owner.uscc, "share": "100", "party_type": "enterprise"}
        ],
    )
    second = await register(
        listing_client,
        listing_settings,
        owner,
        patentees=[
            {"name": owner.name, "uscc": owner.uscc, "share": "100", "party_type": "enterprise"}
        ],
    )
    pledge_id = "pl-disposal-" + first
    await publish(
        listing_settings,
        PledgeRegistered(
            pledge_id=pledge_id,
            application_numbers=[first, second],
            pledgor=OrgRef(name=owner.name, uscc=owner.uscc),
            pledgee=BANK,
            secured_amount=Decimal("8000000"),
            debt_term_end=date(2028, 12, 31),
            registered_on=date(2026, 1, 5),
        ),
    )
    await publish(
        listing_settings,
        PledgedPatentsTransferred(
            pledge_id=pledge_id,
            application_numbers=[first, second],
            pledgor=OrgRef(name=owner.name, uscc=owner.uscc),
            buyer=PatenteeRef(name=BUYER["name"], uscc=BUYER["uscc"], party_type="enterprise"),
            method="auction",
            price=Decimal("6500000"),
            transferred_on=date(2026, 11, 21),
        ),
    )

    async def owner_of(number: str) -> str:
        r = await listing_client.get(
            f"/v1/patents/{number}", headers=owner.headers(listing_settings)
        )
        return str(r.json()["patentees"][0]["name"])

    for number in (first, second):
        await eventually(lambda n=number: _equals(owner_of(n), BUYER["name"]))


async def _equals(value: object, wanted: str) -> bool:
    return bool(await value == wanted)  # type: ignore[misc]
