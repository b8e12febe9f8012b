"""Taking open licences through the HTTP API on the real stack, with the declarations
fed by real listing events: acceptance, payment, the granted event, and each refusal
with its own problem type."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from shared.domain import add_months
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.events.schemas import (
    DeclarationLapsed,
    DeclarationReinstated,
    DeclarationSuspended,
    LicenseGranted,
    OrgRef,
    PatentStatusChanged,
    PaymentMode,
    PledgeCancelled,
    PledgeRegistered,
)
from tests.license.client import accept, assert_problem, learned
from tests.license.factories import (
    EventFeed,
    declaration_published,
    declaration_withdrawn,
    payment_body,
    terms,
)
from tests.support.stack import OPERATOR_SCOPES, eventually, org, read_topic, real_today

GRANTED = LicenseGranted.event_type


async def granted_events(settings: LicenseSettings, *license_ids: str) -> list[CloudEvent]:
    """Read ``ipmarket.license.v1`` until a granted event of each licence is there."""

    def have_all(events: list[CloudEvent]) -> bool:
        seen = {e.data.get("license_id") for e in events if e.type == GRANTED}
        return set(license_ids) <= seen

    events = await read_topic(settings.kafka_bootstrap_servers, topics.LICENSE, until=have_all)
    return [e for e in events if e.type == GRANTED and e.data["license_id"] in license_ids]


async def test_accepting_and_paying_grants_the_licence_on_the_accepted_terms(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "清华大学")
    enterprise = org(OrgType.ENTERPRISE, "深圳市新能储能科技有限公司")
    published = declaration_published(university)
    await feed.publish(published)

    async def accepted() -> httpx.Response | None:
        response = await accept(
            license_client, license_settings, enterprise, published.declaration_id
        )
        return response if response.status_code != 404 else None

    response = await eventually(accepted)
    assert response.status_code == 201, response.text
    licence = response.json()
    assert licence["status"] == "awaiting_payment"
    assert licence["kind"] == "ordinary"
    assert licence["terms_version"] == 1
    assert licence["terms"]["lump_sum_fee"] == "50000.00"
    assert licence["application_number"] == published.application_number
    assert licence["licensee"] == {
        "org_id": enterprise.org_id,
        "name": enterprise.name,
        "uscc": enterprise.uscc,
    }
    assert licence["licensors"][0]["uscc"] == university.uscc
    assert licence["effective_date"] is None

    paid_on = real_today()
    paid = await license_client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body("50000.00", "ICBC-20261123-0001"),
        headers=enterprise.headers(license_settings),
    )
    assert paid.status_code == 201, paid.text
    active = paid.json()
    assert active["status"] == "active"
    assert active["effective_date"] == str(paid_on)
    assert active["filing_deadline"] == str(add_months(paid_on, 3))
    assert active["term_end"] == str(published.terms.term_end)
    assert active["contract_value"] == {"amount": "50000.00", "currency": "CNY"}
    assert active["amount_paid"] == {"amount": "50000.00", "currency": "CNY"}
    assert [p["activated_license"] for p in active["payments"]] == [True]

    [event] = await granted_events(license_settings, licence["id"])
    assert event.partitionkey == published.application_number
    assert event.actor == enterprise.org_id
    granted = LicenseGranted.model_validate(event.data)
    assert granted.kind == "ordinary"
    assert granted.declaration_id == published.declaration_id
    assert granted.terms_version == 1
    assert granted.effective_date == paid_on
    assert granted.filing_deadline == add_months(paid_on, 3)
    assert granted.contract_value == Decimal("50000.00")
    assert [(o.name, o.uscc) for o in granted.licensors] == [(university.name, university.uscc)]
    assert (granted.licensee.org_id, granted.licensee.uscc) == (enterprise.org_id, enterprise.uscc)

    # A later payment (e.g. a running royalty) is recorded; the licence stays as it was.
    again = await license_client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body("1200.50"),
        headers=enterprise.headers(license_settings),
    )
    assert again.status_code == 201, again.text
    assert again.json()["status"] == "active"
    assert again.json()["effective_date"] == str(paid_on)
    assert again.json()["amount_paid"]["amount"] == "51200.50"
    assert [p["activated_license"] for p in again.json()["payments"]] == [True, False]
    duplicate = await license_client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body("50000.00", "ICBC-20261123-0001"),
        headers=enterprise.headers(license_settings),
    )
    assert_problem(duplicate, 409, "license-payment-already-recorded", "ICBC-20261123-0001")

    # The second payment granted nothing: a later licence on the same patent (same key,
    # same partition, published after it) arrives with only one grant of the first before.
    other = org(OrgType.ENTERPRISE, "东莞市储能电池有限公司")
    second = await accept(license_client, license_settings, other, published.declaration_id)
    assert second.status_code == 201, second.text
    await license_client.post(
        f"/v1/licenses/{second.json()['id']}/payments",
        json=payment_body(),
        headers=other.headers(license_settings),
    )
    events = await granted_events(license_settings, licence["id"], second.json()["id"])
    assert [e.data["license_id"] for e in events].count(licence["id"]) == 1


async def test_a_payment_must_cover_the_fixed_fee_and_come_from_the_licensee(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "北京大学")
    enterprise = org(OrgType.ENTERPRISE, "北京智芯微电子科技有限公司")
    stranger = org(OrgType.ENTERPRISE, "某科技有限公司")
    published = declaration_published(
        university,
        declared_terms=terms(
            PaymentMode.ENTRY_FEE_PLUS_ROYALTY,
            entry_fee=Decimal("20000.00"),
            royalty_base="net_sales",
            royalty_rate=Decimal("2"),
        ),
    )
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    licence = (
        await accept(license_client, license_settings, enterprise, published.declaration_id)
    ).json()
    url = f"/v1/licenses/{licence['id']}/payments"

    short = await license_client.post(
        url, json=payment_body("19999.99"), headers=enterprise.headers(license_settings)
    )
    assert_problem(short, 422, "license-payment-below-fee", "20000.00", "19999.99")
    future = payment_body("20000.00")
    future["paid_on"] = str(add_months(real_today(), 1))
    assert_problem(
        await license_client.post(url, json=future, headers=enterprise.headers(license_settings)),
        422,
        "license-payment-date-in-future",
        future["paid_on"],
    )
    assert_problem(
        await license_client.post(
            url, json=payment_body("20000.00"), headers=stranger.headers(license_settings)
        ),
        404,
        "not-found",
    )
    paid = await license_client.post(
        url, json=payment_body("20000.00"), headers=enterprise.headers(license_settings)
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["status"] == "active"
    assert paid.json()["contract_value"]["amount"] == "20000.00"


async def test_two_enterprises_accepting_at_the_same_moment_both_get_licences(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "上海交通大学")
    first = org(OrgType.ENTERPRISE, "上海汽车集团股份有限公司")
    second = org(OrgType.ENTERPRISE, "宁德时代新能源科技股份有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)

    responses = await asyncio.gather(
        accept(license_client, license_settings, first, published.declaration_id),
        accept(license_client, license_settings, second, published.declaration_id),
    )
    assert [r.status_code for r in responses] == [201, 201], [r.text for r in responses]
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 2
    assert {r.json()["licensee"]["org_id"] for r in responses} == {first.org_id, second.org_id}

    # Non-exclusive for others, but one licence per licensee and declaration.
    again = await accept(license_client, license_settings, first, published.declaration_id)
    assert_problem(again, 409, "license-already-held", published.declaration_id)

    operator = org(OrgType.OPERATOR, "平台运营方")
    listed = await license_client.get(
        "/v1/licenses",
        params={"declaration_id": published.declaration_id},
        headers=operator.headers(license_settings, scopes=OPERATOR_SCOPES),
    )
    assert {item["id"] for item in listed.json()["items"]} == ids


async def test_a_withdrawn_declaration_refuses_acceptance_and_licences_granted_survive(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "浙江大学")
    early = org(OrgType.ENTERPRISE, "杭州海康威视数字技术股份有限公司")
    late = org(OrgType.ENTERPRISE, "杭州某新能源有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    kept = await accept(license_client, license_settings, early, published.declaration_id)
    assert kept.status_code == 201

    await feed.publish(declaration_withdrawn(published))
    await learned(
        license_client,
        license_settings,
        published.declaration_id,
        until=lambda v: v["status"] == "withdrawn",
    )
    refused = await accept(license_client, license_settings, late, published.declaration_id)
    assert_problem(
        refused, 422, "license-declaration-not-active", published.declaration_id, "withdrawn"
    )
    assert refused.json()["declaration_status"] == "withdrawn"

    survivor = await license_client.get(
        f"/v1/licenses/{kept.json()['id']}", headers=early.headers(license_settings)
    )
    assert survivor.status_code == 200
    assert survivor.json()["status"] == "awaiting_payment"
    # It is still paid for and takes effect on the terms it accepted.
    paid = await license_client.post(
        f"/v1/licenses/{kept.json()['id']}/payments",
        json=payment_body(),
        headers=early.headers(license_settings),
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["status"] == "active"
    assert paid.json()["terms_version"] == 1


async def test_a_withdrawal_seen_before_its_publication_stays_withdrawn(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "复旦大学")
    enterprise = org(OrgType.ENTERPRISE, "上海微电子装备有限公司")
    published = declaration_published(university)
    # Same key, so the publication is handled after the withdrawal.
    await feed.publish(declaration_withdrawn(published))
    await feed.publish(published)

    view = await learned(
        license_client,
        license_settings,
        published.declaration_id,
        until=lambda v: v["title"] is not None,
    )
    assert view["status"] == "withdrawn"
    assert view["terms_version"] == 1
    assert_problem(
        await accept(license_client, license_settings, enterprise, published.declaration_id),
        422,
        "license-declaration-not-active",
        "withdrawn",
    )


async def test_newer_terms_replace_older_ones_and_each_licensee_keeps_its_version(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "华中科技大学")
    first = org(OrgType.ENTERPRISE, "武汉光谷新能源有限公司")
    second = org(OrgType.ENTERPRISE, "武汉长江储能科技有限公司")
    v1 = declaration_published(university)
    await feed.publish(v1)
    await learned(license_client, license_settings, v1.declaration_id)
    on_v1 = (await accept(license_client, license_settings, first, v1.declaration_id)).json()

    v2 = v1.model_copy(
        update={"terms_version": 2, "terms": terms(lump_sum_fee=Decimal("80000.00"))}
    )
    await feed.publish(v2)
    await learned(
        license_client, license_settings, v1.declaration_id, until=lambda v: v["terms_version"] == 2
    )
    # A stale copy of version 1 arriving late, then another declaration on the same patent
    # (same key): once that one is known, the stale copy was handled before it.
    await feed.publish(v1)
    sentinel = declaration_published(university, number=v1.application_number)
    await feed.publish(sentinel)
    await learned(license_client, license_settings, sentinel.declaration_id)
    view = await learned(license_client, license_settings, v1.declaration_id)
    assert view["terms_version"] == 2
    assert view["terms"]["lump_sum_fee"] == "80000.00"

    on_v2 = (await accept(license_client, license_settings, second, v1.declaration_id)).json()
    assert on_v2["terms_version"] == 2
    assert on_v2["terms"]["lump_sum_fee"] == "80000.00"
    kept = await license_client.get(
        f"/v1/licenses/{on_v1['id']}", headers=first.headers(license_settings)
    )
    assert kept.json()["terms_version"] == 1
    assert kept.json()["terms"]["lump_sum_fee"] == "50000.00"


async def test_a_free_licence_is_active_at_once(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.RESEARCH_INSTITUTE, "中国科学院物理研究所")
    enterprise = org(OrgType.ENTERPRISE, "北京卫蓝新能源科技有限公司")
    published = declaration_published(university, declared_terms=terms(PaymentMode.FREE))
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)

    response = await accept(license_client, license_settings, enterprise, published.declaration_id)
    assert response.status_code == 201, response.text
    licence = response.json()
    today = real_today()
    assert licence["status"] == "active"
    assert licence["effective_date"] == str(today)
    assert licence["filing_deadline"] == str(add_months(today, 3))
    assert licence["contract_value"] is None
    [event] = await granted_events(license_settings, licence["id"])
    assert event.data["terms_version"] == 1
    assert event.data["filing_deadline"] == str(add_months(today, 3))
    assert event.data["contract_value"] is None


def duplicates_handled(metrics: str, group: str) -> float:
    pattern = re.compile(
        r'^ipmarket_events_consumed_total\{(?=[^}]*group="' + re.escape(group) + r'")'
        r'(?=[^}]*event_type="cn\.ipmarket\.listing\.declaration\.published\.v1")'
        r'(?=[^}]*outcome="duplicate")[^}]*\} ([0-9.e+]+)$',
        re.MULTILINE,
    )
    return sum(float(m) for m in pattern.findall(metrics))


async def test_a_redelivered_publication_has_no_second_effect(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "南京大学")
    enterprise = org(OrgType.ENTERPRISE, "南京某储能科技有限公司")
    group = license_settings.kafka_consumer_group
    before = duplicates_handled((await license_client.get("/metrics")).text, group)

    published = declaration_published(university)
    sent = await feed.publish(published)
    first = await learned(license_client, license_settings, published.declaration_id)
    await feed.publish(published, event_id=sent.id)  # the broker delivers it again

    async def skipped() -> bool:
        text = (await license_client.get("/metrics")).text
        return duplicates_handled(text, group) >= before + 1

    await eventually(skipped)
    assert await learned(license_client, license_settings, published.declaration_id) == first
    response = await accept(license_client, license_settings, enterprise, published.declaration_id)
    assert response.status_code == 201


async def test_pledges_are_kept_and_a_cancellation_is_final(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "中国科学技术大学")
    pledged = declaration_published(university)
    other = declaration_published(university)
    for published in (pledged, other):
        await feed.publish(published)
        await learned(license_client, license_settings, published.declaration_id)
    bank = OrgRef(org_id="bank-ccb-hefei", name="中国建设银行合肥分行", uscc=None)

    def registered(pledge_id: str, *numbers: str) -> PledgeRegistered:
        return PledgeRegistered(
            pledge_id=pledge_id,
            application_numbers=list(numbers),
            pledgor=OrgRef(name=university.name, uscc=university.uscc),
            pledgee=bank,
            secured_amount=Decimal("3000000.00"),
            debt_term_end=date(real_today().year + 3, 6, 30),
            registered_on=real_today(),
            open_license_consented=True,
        )

    await feed.publish(registered("pledge-a", pledged.application_number))
    view = await learned(
        license_client, license_settings, pledged.declaration_id, until=lambda v: v["pledges"]
    )
    assert view["pledges"][0]["pledgee_name"] == "中国建设银行合肥分行"
    assert view["pledges"][0]["open_license_consented"] is True

    await feed.publish(
        PledgeCancelled(
            pledge_id="pledge-a",
            application_numbers=[pledged.application_number],
            reason="repaid",
            cancelled_on=real_today(),
        )
    )
    await learned(
        license_client, license_settings, pledged.declaration_id, until=lambda v: not v["pledges"]
    )

    # A registration arriving after its cancellation (re-driven) does not revive it;
    # the other patent of the same event shows when the event was handled.
    await feed.publish(registered("pledge-a", pledged.application_number, other.application_number))
    await learned(
        license_client, license_settings, other.declaration_id, until=lambda v: v["pledges"]
    )
    view = await learned(license_client, license_settings, pledged.declaration_id)
    assert view["pledges"] == []


async def test_a_retried_acceptance_with_its_idempotency_key_returns_the_same_licence(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "山东大学")
    enterprise = org(OrgType.ENTERPRISE, "济南某智能装备有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    headers = {**enterprise.headers(license_settings), "Idempotency-Key": "accept-7f1c2e"}
    body = {"declaration_id": published.declaration_id}

    first = await license_client.post("/v1/licenses", json=body, headers=headers)
    retry = await license_client.post("/v1/licenses", json=body, headers=headers)
    assert first.status_code == retry.status_code == 201, retry.text
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == first.json()["id"]


async def test_lapsed_suspended_and_reinstated_declarations(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "西安交通大学")
    enterprise = org(OrgType.ENTERPRISE, "西安某电力设备有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    ref = {
        "declaration_id": published.declaration_id,
        "application_number": published.application_number,
    }
    now = datetime.now(UTC)

    # Suspended (a pledge registered before the announcement surfaced in listing) ...
    await feed.publish(DeclarationSuspended(**ref, effective_at=now, reason="pledge p-1 first"))
    await learned(
        license_client,
        license_settings,
        published.declaration_id,
        until=lambda v: v["status"] == "suspended",
    )
    refused = await accept(license_client, license_settings, enterprise, published.declaration_id)
    assert_problem(refused, 422, "license-declaration-not-active", "suspended")
    # ... an older reinstatement arriving late changes nothing; the newer one reinstates.
    await feed.publish(
        DeclarationReinstated(**ref, effective_at=now - timedelta(seconds=5), reason="old")
    )
    await feed.publish(
        DeclarationReinstated(**ref, effective_at=now + timedelta(seconds=1), reason="consent")
    )
    await learned(
        license_client,
        license_settings,
        published.declaration_id,
        until=lambda v: v["status"] == "announced",
    )
    taken = await accept(license_client, license_settings, enterprise, published.declaration_id)
    assert taken.status_code == 201, taken.text

    # The patent lapses: no further licence; the one taken survives.
    await feed.publish(
        DeclarationLapsed(**ref, effective_at=now + timedelta(seconds=2), reason="未缴年费终止")
    )
    await learned(
        license_client,
        license_settings,
        published.declaration_id,
        until=lambda v: v["status"] == "lapsed",
    )
    other = org(OrgType.ENTERPRISE, "咸阳某公司")
    assert_problem(
        await accept(license_client, license_settings, other, published.declaration_id),
        422,
        "license-declaration-lapsed",
        "lapsed",
    )
    await feed.publish(
        DeclarationReinstated(**ref, effective_at=now + timedelta(seconds=9), reason="late")
    )
    # Another declaration on the same patent (same key): once it is known, the late
    # reinstatement before it has been handled.
    sentinel = declaration_published(university, number=published.application_number)
    await feed.publish(sentinel)
    await learned(license_client, license_settings, sentinel.declaration_id)
    still = await learned(license_client, license_settings, published.declaration_id)
    assert still["status"] == "lapsed"
    kept = await license_client.get(
        f"/v1/licenses/{taken.json()['id']}", headers=enterprise.headers(license_settings)
    )
    assert kept.status_code == 200


async def test_a_lapsed_declaration_refuses_acceptance_with_its_own_problem_type(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "天津大学")
    enterprise = org(OrgType.ENTERPRISE, "天津某化工装备有限公司")
    today = real_today()
    ended = declaration_published(
        university,
        declared_terms=terms(term_start=date(today.year - 3, 1, 1), term_end=today - timedelta(1)),
    )
    await feed.publish(ended)
    await learned(license_client, license_settings, ended.declaration_id)
    refused = await accept(license_client, license_settings, enterprise, ended.declaration_id)
    assert_problem(refused, 422, "license-declaration-lapsed", ended.declaration_id, "term ended")

    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    kept = await accept(license_client, license_settings, enterprise, published.declaration_id)
    assert kept.status_code == 201, kept.text
    # The annual fee went unpaid: listing reports the patent lapsed (same key, in order).
    await feed.publish(
        PatentStatusChanged(
            application_number=published.application_number,
            legal_status="lapsed",
            annual_fee_status="unpaid",
            suspended=False,
            under_preservation=False,
            reason="未在宽限期内缴纳年费",
        )
    )

    async def lapsed() -> httpx.Response | None:
        # A new enterprise each try: one accepted before the event arrived holds a licence.
        latecomer = org(OrgType.ENTERPRISE, "天津某新材料有限公司")
        response = await accept(
            license_client, license_settings, latecomer, published.declaration_id
        )
        return response if response.status_code != 201 else None

    response = await eventually(lapsed)
    assert_problem(
        response, 422, "license-declaration-lapsed", published.application_number, "lapsed"
    )
    assert response.json()["declaration_status"] == "patent_lapsed"
