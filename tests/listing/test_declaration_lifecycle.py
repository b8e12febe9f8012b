"""An announced declaration's life: new terms versions, withdrawal (Art. 51), lapse,
expiry, the race with a pledge that took effect first, and an exclusive licence that
crossed it between the services — through the API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from listing.config import ListingSettings
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import (
    ConsentSubject,
    LicenseEnded,
    LicenseGranted,
    LicenseKind,
    OrgRef,
    PledgeeConsentRecorded,
    PledgeRegistered,
)
from tests.listing.factories import declaration_body
from tests.listing.test_declarations import declare, publish, register
from tests.support.stack import OPERATOR_SCOPES, eventually, org, read_topic

OPERATOR = org(OrgType.OPERATOR, "平台运营方")
BANK = OrgRef(org_id="bank-icbc-sz", name="中国工商银行深圳分行", uscc="91440300892234001L")


async def announced(
    client: httpx.AsyncClient, settings: ListingSettings, **terms: Any
) -> tuple[Any, str, dict[str, Any]]:
    owner = org(OrgType.UNIVERSITY, "南京大学")
    number = await register(client, settings, owner)
    response = await declare(client, settings, owner, declaration_body(number, **terms))
    assert response.status_code == 200, response.text
    return owner, number, response.json()


async def events_about(settings: ListingSettings, declaration_id: str, count: int) -> list[Any]:
    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: (
            len([e for e in es if e.data.get("declaration_id") == declaration_id]) >= count
        ),
    )
    return [e for e in events if e.data.get("declaration_id") == declaration_id]


async def test_a_terms_change_is_a_new_version_announced_at_once(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner, _, declaration = await announced(listing_client, listing_settings)
    url = f"/v1/declarations/{declaration['id']}/terms"
    headers = owner.headers(listing_settings)
    new_terms = {
        "payment_mode": "lump_sum",
        "lump_sum_fee": "30000",
        "term_start": "2027-01-01",
        "term_end": "2031-12-31",
    }
    changed = await listing_client.put(url, json=new_terms, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["terms_version"] == 2
    assert changed.json()["terms"]["payment_mode"] == "lump_sum"
    assert float(changed.json()["terms"]["lump_sum_fee"]) == 30000
    over = await listing_client.put(
        url, json={**new_terms, "lump_sum_fee": "30000000"}, headers=headers
    )
    assert over.status_code == 422
    assert over.json()["type"].endswith("/declaration-fee-over-cap")
    stranger = org(OrgType.UNIVERSITY, "东南大学")
    assert (
        await listing_client.put(url, json=new_terms, headers=stranger.headers(listing_settings))
    ).status_code == 403
    published = await events_about(listing_settings, declaration["id"], 2)
    assert [e.data["terms_version"] for e in published] == [1, 2]
    assert published[1].data["terms"]["payment_mode"] == "lump_sum"
    again = await listing_client.get(f"/v1/declarations/{declaration['id']}", headers=headers)
    assert again.json()["terms_version"] == 2


async def test_withdrawal_takes_effect_when_the_office_announces_it(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner, _, declaration = await announced(listing_client, listing_settings)
    url = f"/v1/declarations/{declaration['id']}/withdrawal"
    headers = owner.headers(listing_settings)
    early = await listing_client.post(
        f"{url}/announcement", headers=OPERATOR.headers(listing_settings, OPERATOR_SCOPES)
    )
    assert early.status_code == 409
    assert "requested" in early.json()["detail"]
    requested = await listing_client.post(url, json={"reason": "拟转让"}, headers=headers)
    assert requested.status_code == 200, requested.text
    assert requested.json()["status"] == "withdrawal_requested"
    assert requested.json()["withdrawal_requested_at"] is not None
    assert (await listing_client.post(url, json={}, headers=headers)).status_code == 409
    assert (
        await listing_client.post(f"{url}/announcement", headers=headers)
    ).status_code == 403  # only the operator records the office's announcement
    done = await listing_client.post(
        f"{url}/announcement", headers=OPERATOR.headers(listing_settings, OPERATOR_SCOPES)
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "withdrawn"
    events = await events_about(listing_settings, declaration["id"], 3)
    assert [e.type.split(".")[-2] for e in events] == [
        "published",
        "withdrawal_requested",
        "withdrawn",
    ]
    assert events[2].data["reason"] == "拟转让"


async def test_declarations_lapse_with_the_patent_and_expire_with_their_term(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner, number, declaration = await announced(listing_client, listing_settings)
    lapsed = await listing_client.patch(
        f"/v1/patents/{number}/status",
        json={"legal_status": "lapsed", "reason": "未缴年费终止"},
        headers=OPERATOR.headers(listing_settings, OPERATOR_SCOPES),
    )
    assert lapsed.status_code == 200, lapsed.text
    got = await listing_client.get(
        f"/v1/declarations/{declaration['id']}", headers=owner.headers(listing_settings)
    )
    assert got.json()["status"] == "lapsed"
    assert "lapsed" in got.json()["status_reason"]
    events = await events_about(listing_settings, declaration["id"], 2)
    assert events[1].type == "cn.ipmarket.listing.declaration.lapsed.v1"

    # A declaration whose term is over ends by itself (the sweep runs every 0.5 s here).
    today = date.today()
    _, _, short = await announced(
        listing_client,
        listing_settings,
        term_start=(today - timedelta(days=800)).isoformat(),
        term_end=(today - timedelta(days=2)).isoformat(),
    )

    async def expired() -> bool:
        r = await listing_client.get(
            f"/v1/declarations/{short['id']}", headers=owner.headers(listing_settings)
        )
        return bool(r.json()["status"] == "expired")

    await eventually(expired, timeout=30)
    events = await events_about(listing_settings, short["id"], 2)
    assert events[1].type == "cn.ipmarket.listing.declaration.expired.v1"
    assert len([e for e in events if e.type.endswith("expired.v1")]) == 1


async def test_a_pledge_registered_first_suspends_a_later_declaration_until_consent(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner, number, declaration = await announced(listing_client, listing_settings)
    headers = owner.headers(listing_settings)
    announced_at = datetime.fromisoformat(declaration["announced_at"])
    pledge = PledgeRegistered(
        pledge_id="pledge-race-1" + number,
        application_numbers=[number],
        pledgor=OrgRef(name=owner.name, uscc=owner.uscc),
        pledgee=BANK,
        secured_amount="5000000",
        debt_term_end=date(2029, 12, 31),
        registered_on=announced_at.date(),
    )
    # The pledge service registered it a second before the announcement; it arrives late.
    await publish(listing_settings, pledge, at=announced_at - timedelta(seconds=1))

    async def status() -> str:
        r = await listing_client.get(f"/v1/declarations/{declaration['id']}", headers=headers)
        return str(r.json()["status"])

    await eventually(lambda: _is(status, "suspended"))
    suspended = (
        await listing_client.get(f"/v1/declarations/{declaration['id']}", headers=headers)
    ).json()
    assert pledge.pledge_id in suspended["status_reason"]
    assert "before the declaration was announced" in suspended["status_reason"]

    consent = PledgeeConsentRecorded(
        pledge_id=pledge.pledge_id,
        application_numbers=[number],
        pledgee=BANK,
        consent_to=ConsentSubject.OPEN_LICENSE,
        recorded_on=date.today(),
    )
    await publish(listing_settings, consent)
    await eventually(lambda: _is(status, "announced"))
    events = await events_about(listing_settings, declaration["id"], 3)
    assert [e.type.split(".")[-2] for e in events] == ["published", "suspended", "reinstated"]
    assert events[1].data["conflicting_reference"] == pledge.pledge_id


async def test_a_pledge_registered_after_the_announcement_leaves_it_standing(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner, number, declaration = await announced(listing_client, listing_settings)
    later = PledgeRegistered(
        pledge_id="pledge-race-2" + number,
        application_numbers=[number],
        pledgor=OrgRef(name=owner.name, uscc=owner.uscc),
        pledgee=BANK,
        secured_amount="5000000",
        debt_term_end=date(2029, 12, 31),
        registered_on=date.today(),
    )
    await publish(listing_settings, later, at=datetime.now(UTC) + timedelta(seconds=1))
    encumbered = await eventually(
        lambda: _encumbrances(listing_client, listing_settings, owner, number)
    )
    assert encumbered[0]["reference_id"] == later.pledge_id
    got = await listing_client.get(
        f"/v1/declarations/{declaration['id']}", headers=owner.headers(listing_settings)
    )
    assert got.json()["status"] == "announced"


async def test_an_exclusive_licence_that_crossed_the_announcement_suspends_it_until_its_end(
    listing_client: httpx.AsyncClient, listing_settings: ListingSettings
) -> None:
    owner, number, declaration = await announced(listing_client, listing_settings)
    headers = owner.headers(listing_settings)
    announced_at = datetime.fromisoformat(declaration["announced_at"])
    licence = {
        "license_id": "lic-crossed-" + number,
        "application_number": number,
        "patent_number": "ZL" + number,
        "kind": LicenseKind.EXCLUSIVE,
        "licensors": [OrgRef(name=owner.name, uscc=owner.uscc)],
        "licensee": OrgRef(name="南京某新材料有限公司"),
        "effective_date": announced_at.date(),
        "term_end": date(2030, 12, 31),
    }
    # license signed it a second after the announcement, before it had heard of it.
    granted = LicenseGranted(**licence, filing_deadline=date(2031, 3, 31))
    await publish(listing_settings, granted, at=announced_at + timedelta(seconds=1))

    async def status() -> str:
        r = await listing_client.get(f"/v1/declarations/{declaration['id']}", headers=headers)
        return str(r.json()["status"])

    await eventually(lambda: _is(status, "suspended"))
    suspended = (
        await listing_client.get(f"/v1/declarations/{declaration['id']}", headers=headers)
    ).json()
    assert granted.license_id in suspended["status_reason"]
    assert "crossed" in suspended["status_reason"]

    ended = LicenseEnded(**licence, reason="terminated", ended_on=date.today())
    await publish(listing_settings, ended)
    await eventually(lambda: _is(status, "announced"))
    events = await events_about(listing_settings, declaration["id"], 3)
    assert [e.type.split(".")[-2] for e in events] == ["published", "suspended", "reinstated"]
    assert events[1].data["conflicting_reference"] == granted.license_id


async def _is(check: Any, wanted: str) -> bool:
    return bool(await check() == wanted)


async def _encumbrances(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Any, number: str
) -> list[dict[str, Any]]:
    r = await client.get(f"/v1/patents/{number}/encumbrances", headers=owner.headers(settings))
    items: list[dict[str, Any]] = r.json()["items"]
    return items
