"""Negotiated deals through the HTTP API: offers from either side, counter-offers,
acceptance (exactly one of two overlapping exclusive licences), both signatures, the
licence that takes effect, and who may see and do what."""

from __future__ import annotations

import asyncio
import hashlib

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.events.schemas import DealOpened, LicenseGranted
from tests.license.client import assert_problem, events_of, learned
from tests.license.deal_calls import (
    PDF,
    act,
    expiry,
    licence_offer,
    open_deal,
    registered_patent,
    sign,
)
from tests.license.factories import EventFeed, declaration_published
from tests.support.stack import OPERATOR_SCOPES, org, read_topic


async def test_an_exclusive_licence_is_offered_countered_agreed_signed_and_takes_effect(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "清华大学")
    carmaker = org(OrgType.ENTERPRISE, "比亚迪股份有限公司")
    number = await registered_patent(feed, license_settings, university)

    # The enterprise asks; the university counters with a higher rate; the enterprise accepts.
    asked = await open_deal(license_client, license_settings, carmaker, number, university)
    assert asked.status_code == 201, asked.text
    deal = asked.json()
    assert (deal["state"], deal["opened_by"], deal["patentee"]["uscc"]) == (
        "negotiating",
        "counterparty",
        university.uscc,
    )
    own_turn = await license_client.post(
        f"/v1/deals/{deal['id']}/offers",
        json={"license": licence_offer(), "expires_at": expiry()},
        headers=carmaker.headers(license_settings),
    )
    assert_problem(own_turn, 409, "deal-offer-open-by-you")
    countered = await license_client.post(
        f"/v1/deals/{deal['id']}/offers",
        json={"license": licence_offer(royalty_rate="3.5"), "expires_at": expiry()},
        headers=university.headers(license_settings),
    )
    assert countered.status_code == 201, countered.text
    deal = countered.json()
    first, second = deal["offers"]
    assert (first["state"], second["state"]) == ("superseded", "open")
    superseded = await license_client.post(
        f"/v1/deals/{deal['id']}/offers/{first['id']}/acceptance",
        headers=university.headers(license_settings),
    )
    assert_problem(superseded, 409, "deal-offer-not-open", "superseded")
    by_author = await act(license_client, license_settings, university, deal, "acceptance")
    assert_problem(by_author, 403, "deal-not-offer-addressee")
    agreed = await act(license_client, license_settings, carmaker, deal, "acceptance")
    assert agreed.status_code == 200, agreed.text
    assert agreed.json()["state"] == "agreed"

    # Strangers: the deal does not exist for them; the operator sees it but signs nothing.
    stranger = org(OrgType.ENTERPRISE, "长城汽车股份有限公司")
    unseen = await license_client.get(
        f"/v1/deals/{deal['id']}", headers=stranger.headers(license_settings)
    )
    missing = await license_client.get(
        "/v1/deals/00000000-0000-0000-0000-000000000000",
        headers=stranger.headers(license_settings),
    )
    assert_problem(unseen, 404, "deal-unknown")
    assert unseen.json()["detail"].replace(deal["id"], "X") == missing.json()["detail"].replace(
        "00000000-0000-0000-0000-000000000000", "X"
    )
    assert_problem(
        await sign(license_client, license_settings, stranger, deal["id"]), 404, "deal-unknown"
    )
    operator = org(OrgType.OPERATOR, "平台运营方")
    operator_sign = await license_client.post(
        f"/v1/deals/{deal['id']}/signatures",
        content=PDF,
        headers=operator.headers(license_settings, OPERATOR_SCOPES)
        | {"content-type": "application/pdf"},
    )
    assert operator_sign.status_code == 403

    refused_type = await sign(
        license_client, license_settings, carmaker, deal["id"], b"hello", "text/plain"
    )
    assert_problem(refused_type, 422, "deal-signature-document-refused", "text/plain")
    signed = await sign(license_client, license_settings, carmaker, deal["id"])
    assert signed.status_code == 201, signed.text
    assert signed.json()["state"] == "agreed"
    twice = await sign(license_client, license_settings, carmaker, deal["id"])
    assert_problem(twice, 409, "deal-already-signed")
    contract = PDF + b"% university's copy\n"
    both = await sign(license_client, license_settings, university, deal["id"], contract)
    assert both.status_code == 201, both.text
    deal = both.json()
    assert deal["state"] == "effective"
    assert {s["sha256"] for s in deal["signatures"]} == {
        hashlib.sha256(PDF).hexdigest(),
        hashlib.sha256(contract).hexdigest(),
    }
    licence = await license_client.get(
        f"/v1/licenses/{deal['license_id']}", headers=carmaker.headers(license_settings)
    )
    assert licence.status_code == 200, licence.text
    assert (licence.json()["kind"], licence.json()["status"]) == ("exclusive", "active")
    [granted] = await events_of(license_settings, LicenseGranted.event_type, deal["license_id"])
    assert granted.data["deal_id"] == deal["id"]
    listed = await license_client.get("/v1/deals", headers=university.headers(license_settings))
    assert [d["id"] for d in listed.json()["items"]] == [deal["id"]]

    opened = await read_topic(
        license_settings.kafka_bootstrap_servers,
        DealOpened.topic,
        until=lambda es: any(
            e.type == DealOpened.event_type and e.data["deal_id"] == deal["id"] for e in es
        ),
    )
    [event] = [
        e for e in opened if e.type == DealOpened.event_type and e.data["deal_id"] == deal["id"]
    ]
    # Negotiations are private: no price or rate in the event.
    assert "royalty_rate" not in str(event.data)
    assert "800000" not in str(event.data)


async def test_of_two_overlapping_exclusive_licences_accepted_at_once_exactly_one_is_agreed(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "西北工业大学")
    number = await registered_patent(feed, license_settings, university)
    buyers = [
        org(OrgType.ENTERPRISE, "西安飞机工业（集团）有限责任公司"),
        org(OrgType.ENTERPRISE, "陕西某航空材料有限公司"),
    ]
    deals = []
    for buyer in buyers:
        offered = await open_deal(
            license_client,
            license_settings,
            university,
            number,
            buyer,
            license=licence_offer(field_of_use=None),
        )
        assert offered.status_code == 201, offered.text
        deals.append(offered.json())

    answers = await asyncio.gather(
        *(
            act(license_client, license_settings, b, d, "acceptance")
            for b, d in zip(buyers, deals, strict=True)
        )
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    [lost] = [a for a in answers if a.status_code == 409]
    assert_problem(lost, 409, "deal-exclusive-scope-taken", "exclusive", "overlapping")

    # Another field of use is another scope: that exclusive licence can be agreed.
    elsewhere = await open_deal(
        license_client,
        license_settings,
        university,
        number,
        buyers[0],
        license=licence_offer(field_of_use="航空发动机叶片"),
    )
    assert elsewhere.status_code == 201, elsewhere.text
    # ... but not beside the all-fields exclusive licence agreed above.
    refused = await act(license_client, license_settings, buyers[0], elsewhere.json(), "acceptance")
    assert_problem(refused, 409, "deal-exclusive-scope-taken")


async def test_offers_that_break_a_rule_are_refused_naming_it(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "上海交通大学")
    other = org(OrgType.UNIVERSITY, "复旦大学")
    enterprise = org(OrgType.ENTERPRISE, "上海汽车集团股份有限公司")
    number = await registered_patent(feed, license_settings, university)

    strangers = await open_deal(license_client, license_settings, enterprise, number, other)
    assert_problem(strangers, 422, "deal-no-patentee", number)
    own = await open_deal(license_client, license_settings, university, number, university)
    assert_problem(own, 422, "license-licensee-is-patentee")
    past = await open_deal(
        license_client,
        license_settings,
        university,
        number,
        enterprise,
        expires_at=expiry(hours=-1),
    )
    assert_problem(past, 422, "deal-offer-invalid", "expires_at")
    far = await open_deal(
        license_client,
        license_settings,
        university,
        number,
        enterprise,
        expires_at=expiry(days=120),
    )
    assert_problem(far, 422, "deal-offer-invalid", "90 days")
    unknown = await open_deal(
        license_client, license_settings, university, "201710601862.3", enterprise
    )
    assert_problem(unknown, 404, "patent-unknown")

    published = declaration_published(university, number=number)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    declared = await open_deal(
        license_client,
        license_settings,
        university,
        number,
        enterprise,
        license=licence_offer("sole"),
    )
    assert_problem(declared, 422, "license-exclusive-while-declared", published.declaration_id)
    ordinary = await open_deal(
        license_client,
        license_settings,
        university,
        number,
        enterprise,
        license=licence_offer("ordinary"),
    )
    assert ordinary.status_code == 201, ordinary.text


async def test_a_withdrawn_or_expired_offer_cannot_be_accepted(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "浙江大学")
    enterprise = org(OrgType.ENTERPRISE, "杭州海康威视数字技术股份有限公司")
    number = await registered_patent(feed, license_settings, university)

    offered = (
        await open_deal(license_client, license_settings, university, number, enterprise)
    ).json()
    not_author = await act(license_client, license_settings, enterprise, offered, "withdrawal")
    assert_problem(not_author, 403, "deal-not-offer-author")
    withdrawn = await act(license_client, license_settings, university, offered, "withdrawal")
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["state"] == "withdrawn"
    late = await license_client.post(
        f"/v1/deals/{offered['id']}/offers/{offered['offers'][0]['id']}/acceptance",
        headers=enterprise.headers(license_settings),
    )
    assert_problem(late, 409, "deal-offer-not-open", "withdrawn")

    short = await open_deal(
        license_client,
        license_settings,
        university,
        number,
        enterprise,
        expires_at=expiry(seconds=1.5),
    )
    assert short.status_code == 201, short.text
    await asyncio.sleep(2)
    expired = await act(license_client, license_settings, enterprise, short.json(), "acceptance")
    assert_problem(expired, 422, "deal-offer-expired")
    seen = await license_client.get(
        f"/v1/deals/{short.json()['id']}", headers=enterprise.headers(license_settings)
    )
    assert seen.json()["state"] == "expired"
    assert seen.json()["offers"][0]["state"] == "expired"
