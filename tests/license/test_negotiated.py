"""Negotiated licences on a declared patent (Patent Law Art. 52) and payments the
patentee confirms, through the HTTP API."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.domain import add_months
from shared.events.schemas import ConsentSubject, LicenseGranted
from tests.license.client import accept, assert_problem, events_of, learned
from tests.license.factories import (
    EventFeed,
    consent_recorded,
    declaration_published,
    declaration_withdrawn,
    payment_body,
    pledge_registered,
)
from tests.support.stack import Org, application_number, eventually, org, real_today


def contract(number: str, licensee: Org, kind: str = "ordinary") -> dict[str, Any]:
    today = real_today()
    return {
        "application_number": "ZL" + number,
        "kind": kind,
        "licensee": {"name": licensee.name, "uscc": licensee.uscc, "org_id": licensee.org_id},
        "terms": {
            "payment_mode": "entry_fee_plus_royalty",
            "entry_fee": "100000.00",
            "royalty_base": "net_sales",
            "royalty_rate": "2.5",
            "payment_schedule": "每年3月31日前按上一年度净销售额支付",
            "term_start": str(today),
            "term_end": str(add_months(today, 60) - timedelta(days=1)),
        },
        "field_of_use": "新能源汽车动力电池管理系统",
        "effective_date": str(today),
    }


async def test_an_ordinary_licence_is_negotiated_but_no_exclusive_one_while_declared(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "清华大学")
    licensee = org(OrgType.ENTERPRISE, "比亚迪股份有限公司")
    headers = university.headers(license_settings)
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    number = published.application_number

    ordinary = await license_client.post(
        "/v1/negotiated-licenses", json=contract(number, licensee), headers=headers
    )
    assert ordinary.status_code == 201, ordinary.text
    licence = ordinary.json()
    assert (licence["kind"], licence["status"], licence["declaration_id"]) == (
        "ordinary",
        "active",
        None,
    )
    assert licence["filing_deadline"] == str(add_months(real_today(), 3))
    assert licence["contract_value"]["amount"] == "100000.00"
    [event] = await events_of(license_settings, LicenseGranted.event_type, licence["id"])
    assert event.data["kind"] == "ordinary"
    assert event.data["licensee"]["uscc"] == licensee.uscc
    seen = await license_client.get(
        f"/v1/licenses/{licence['id']}", headers=licensee.headers(license_settings)
    )
    assert seen.status_code == 200
    periods = await license_client.get(
        f"/v1/licenses/{licence['id']}/royalties", headers=licensee.headers(license_settings)
    )
    # Yearly periods: one per calendar year the licence touches.
    term_end = add_months(real_today(), 60) - timedelta(days=1)
    assert len(periods.json()) == term_end.year - real_today().year + 1

    for kind in ("exclusive", "sole"):
        refused = await license_client.post(
            "/v1/negotiated-licenses", json=contract(number, licensee, kind), headers=headers
        )
        assert_problem(
            refused,
            422,
            "license-exclusive-while-declared",
            kind,
            published.declaration_id,
            "Art. 52",
        )

    await feed.publish(declaration_withdrawn(published))
    await learned(
        license_client,
        license_settings,
        published.declaration_id,
        until=lambda v: v["status"] == "withdrawn",
    )
    # No longer declared, but the ordinary licence still runs: no exclusive one over it.
    overlapping = await license_client.post(
        "/v1/negotiated-licenses", json=contract(number, licensee, "exclusive"), headers=headers
    )
    assert_problem(
        overlapping, 422, "license-conflicts-with-licence-in-force", licence["id"], "exclusive"
    )


async def test_of_two_exclusive_licences_negotiated_at_once_only_one_is_granted(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "西北工业大学")
    first = org(OrgType.ENTERPRISE, "西安飞机工业（集团）有限责任公司")
    second = org(OrgType.ENTERPRISE, "陕西某航空材料有限公司")
    headers = university.headers(license_settings)
    published = declaration_published(university)
    await feed.publish(published)
    await feed.publish(declaration_withdrawn(published))
    await learned(
        license_client,
        license_settings,
        published.declaration_id,
        until=lambda v: v["status"] == "withdrawn" and v["title"] is not None,
    )
    number = published.application_number

    responses = await asyncio.gather(
        *(
            license_client.post(
                "/v1/negotiated-licenses", json=contract(number, who, "exclusive"), headers=headers
            )
            for who in (first, second)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 422], [r.text for r in responses]
    [granted] = [r.json() for r in responses if r.status_code == 201]
    [refused] = [r for r in responses if r.status_code == 422]
    assert_problem(refused, 422, "license-conflicts-with-licence-in-force", granted["id"])
    ordinary = await license_client.post(
        "/v1/negotiated-licenses", json=contract(number, second), headers=headers
    )
    assert_problem(ordinary, 422, "license-conflicts-with-licence-in-force", "exclusive")


async def test_no_open_licence_beside_an_exclusive_one_signed_as_the_declaration_crossed_it(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    """An exclusive licence recorded before this service heard of a declaration on the
    patent (announced at the same moment: the two crossed between the services). Until
    listing's suspension of the declaration arrives, no one takes an open licence under
    it: it would stand beside the exclusive one."""
    university = org(OrgType.UNIVERSITY, "浙江大学")
    licensee = org(OrgType.ENTERPRISE, "杭州某储能科技有限公司")
    taker = org(OrgType.ENTERPRISE, "宁波某电池材料有限公司")
    headers = university.headers(license_settings)
    earlier = declaration_published(university)
    await feed.publish(earlier)
    await feed.publish(declaration_withdrawn(earlier))
    await learned(
        license_client,
        license_settings,
        earlier.declaration_id,
        until=lambda v: v["status"] == "withdrawn" and v["title"] is not None,
    )
    number = earlier.application_number
    exclusive = await license_client.post(
        "/v1/negotiated-licenses", json=contract(number, licensee, "exclusive"), headers=headers
    )
    assert exclusive.status_code == 201, exclusive.text

    crossed = declaration_published(university, number=number)
    await feed.publish(crossed)
    await learned(license_client, license_settings, crossed.declaration_id)
    # Another field of use is not the exclusive licence's: an open licence there stands.
    elsewhere = await accept(license_client, license_settings, taker, crossed.declaration_id)
    assert elsewhere.status_code == 201, elsewhere.text
    refused = await license_client.post(
        "/v1/licenses",
        json={
            "declaration_id": crossed.declaration_id,
            "field_of_use": contract(number, licensee)["field_of_use"],
            "contact": f"{licensee.name} 法务部 0571-87000000",
        },
        headers=org(OrgType.ENTERPRISE, "绍兴某动力电池有限公司").headers(license_settings),
    )
    assert_problem(
        refused,
        422,
        "license-conflicts-with-licence-in-force",
        exclusive.json()["id"],
        "open licence",
    )


async def test_only_the_patentee_of_a_declared_patent_records_a_negotiated_licence(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "北京航空航天大学")
    licensee = org(OrgType.ENTERPRISE, "中航工业某飞机有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    number = published.application_number

    assert_problem(
        await license_client.post(
            "/v1/negotiated-licenses",
            json=contract(number, licensee),
            headers=licensee.headers(license_settings),
        ),
        403,
        "not-licensor",
        number,
    )
    unknown = application_number(2020, 1)
    assert_problem(
        await license_client.post(
            "/v1/negotiated-licenses",
            json=contract(unknown, licensee),
            headers=university.headers(license_settings),
        ),
        404,
        "patent-unknown",
        unknown,
    )
    backwards = contract(number, licensee)
    backwards["effective_date"] = str(real_today() - timedelta(days=1))
    assert_problem(
        await license_client.post(
            "/v1/negotiated-licenses", json=backwards, headers=university.headers(license_settings)
        ),
        422,
        "license-negotiated-terms-invalid",
        "effective_date",
    )
    bad_uscc = contract(number, licensee)
    bad_uscc["licensee"]["uscc"] = "91440300MA5FXXXX1Z"
    response = await license_client.post(
        "/v1/negotiated-licenses", json=bad_uscc, headers=university.headers(license_settings)
    )
    assert response.status_code == 422
    assert any("licensee.uscc" in e["field"] for e in response.json()["errors"])


async def test_a_licence_on_a_pledged_patent_needs_the_pledgees_consent_to_licensing(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "中国科学技术大学")
    licensee = org(OrgType.ENTERPRISE, "科大讯飞股份有限公司")
    other = org(OrgType.ENTERPRISE, "合肥某语音科技有限公司")
    headers = university.headers(license_settings)
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    number = published.application_number
    # The pledgee consented to the open licence, not to negotiated ones.
    pledge = pledge_registered(
        university, number, bank_name="徽商银行合肥分行", open_license_consented=True
    )
    await feed.publish(pledge)
    await learned(
        license_client, license_settings, published.declaration_id, until=lambda v: v["pledges"]
    )

    refused = await license_client.post(
        "/v1/negotiated-licenses", json=contract(number, licensee), headers=headers
    )
    assert_problem(
        refused, 422, "license-pledged-without-consent", "徽商银行合肥分行", "pledged", "consent"
    )
    assert refused.json()["pledge_id"] == pledge.pledge_id

    await feed.publish(consent_recorded(pledge, ConsentSubject.LICENSE, other.uscc))

    async def granted_to(who: Org) -> httpx.Response | None:
        response = await license_client.post(
            "/v1/negotiated-licenses", json=contract(number, who), headers=headers
        )
        return response if response.status_code == 201 else None

    await eventually(lambda: granted_to(other))
    # The consent names another licensee: still refused for this one.
    still = await license_client.post(
        "/v1/negotiated-licenses", json=contract(number, licensee), headers=headers
    )
    assert_problem(still, 422, "license-pledged-without-consent")


async def test_the_patentee_confirms_a_payment_and_the_licence_takes_effect(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "哈尔滨工程大学")
    licensee = org(OrgType.ENTERPRISE, "哈尔滨某船舶动力有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    licence = (
        await accept(license_client, license_settings, licensee, published.declaration_id)
    ).json()

    confirmed = await license_client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body("50000.00", "BOC-HRB-20261123-77"),
        headers=university.headers(license_settings),
    )
    assert confirmed.status_code == 201, confirmed.text
    assert confirmed.json()["status"] == "active"
    assert confirmed.json()["payments"][0]["recorded_by_role"] == "licensor"
    [event] = await events_of(license_settings, LicenseGranted.event_type, licence["id"])
    assert event.actor == university.org_id


async def test_a_licensee_named_only_by_name_and_uscc_is_recorded_listed_and_replayed(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    # A contract names its licensee by name and USCC; the licensee may have no platform
    # account (no org id) at all.
    university = org(OrgType.UNIVERSITY, "华南理工大学")
    licensee = org(OrgType.ENTERPRISE, "比亚迪股份有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    number = published.application_number
    body = contract(number, licensee)
    body["licensee"] = {"name": licensee.name, "uscc": licensee.uscc}
    body["terms"] = {
        "payment_mode": "lump_sum",
        "lump_sum_fee": "200000.00",
        "term_start": body["terms"]["term_start"],
        "term_end": body["terms"]["term_end"],
    }
    headers = {**university.headers(license_settings), "Idempotency-Key": f"contract-{number}"}

    created = await license_client.post("/v1/negotiated-licenses", json=body, headers=headers)
    assert created.status_code == 201, created.text
    licence = created.json()
    assert licence["licensee"] == {"org_id": None, "name": licensee.name, "uscc": licensee.uscc}
    # A retry with the same key replays the answer: one licence, not two.
    retried = await license_client.post("/v1/negotiated-licenses", json=body, headers=headers)
    assert retried.status_code == 201, retried.text
    assert retried.headers["idempotent-replayed"] == "true"
    assert retried.json()["id"] == licence["id"]

    listed = await license_client.get(
        "/v1/licenses",
        params={"application_number": number},
        headers=university.headers(license_settings),
    )
    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["items"]] == [licence["id"]]
    assert listed.json()["items"][0]["licensee"]["org_id"] is None
    # The licensee sees it by its USCC, whatever its token's org id.
    seen = await license_client.get(
        f"/v1/licenses/{licence['id']}", headers=licensee.headers(license_settings)
    )
    assert seen.status_code == 200, seen.text
    assert seen.json()["licensee"]["org_id"] is None
    [event] = await events_of(license_settings, LicenseGranted.event_type, licence["id"])
    assert event.data["licensee"] == {
        "org_id": None,
        "name": licensee.name,
        "uscc": licensee.uscc,
    }


async def test_an_empty_org_id_of_the_licensee_is_refused_by_name(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "华中科技大学")
    licensee = org(OrgType.ENTERPRISE, "武汉某光电有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    body = contract(published.application_number, licensee)
    body["licensee"]["org_id"] = ""
    response = await license_client.post(
        "/v1/negotiated-licenses", json=body, headers=university.headers(license_settings)
    )
    assert_problem(response, 422, "validation-error", "licensee.org_id")
