"""Licences end through the HTTP API: termination by agreement of both parties, an open
licence given up by its licensee, rescission for breach, and expiry by the deadline
watch (each ``LicenseEnded`` once, even with several instances sweeping)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx

from license.config import LicenseSettings
from license.main import MIGRATIONS
from license.models import infrastructure
from license.workers import sweep
from shared.auth import OrgType
from shared.events import topics
from shared.events.schemas import LicenseEnded
from shared.runtime import ServiceRuntime
from tests.license.client import accept, assert_problem, emitted, events_of, learned, licence_of
from tests.license.factories import (
    EventFeed,
    declaration_published,
    declaration_withdrawn,
    payment_body,
)
from tests.support.stack import Org, eventually, org, real_today


async def negotiated(
    client: httpx.AsyncClient,
    settings: LicenseSettings,
    feed: EventFeed,
    university: Org,
    licensee: Org,
    *,
    kind: str = "exclusive",
    term_start: date | None = None,
    term_end: date | None = None,
    number: str | None = None,
) -> dict[str, Any]:
    """A negotiated licence (running royalty) on a patent declared once and withdrawn,
    in effect from ``term_start`` (today by default)."""
    if number is None:
        published = declaration_published(university)
        await feed.publish(published)
        await feed.publish(declaration_withdrawn(published))
        await learned(
            client, settings, published.declaration_id, until=lambda v: v["status"] == "withdrawn"
        )
        number = published.application_number
    start = term_start or real_today()
    response = await client.post(
        "/v1/negotiated-licenses",
        json={
            "application_number": number,
            "kind": kind,
            "licensee": {"name": licensee.name, "uscc": licensee.uscc, "org_id": licensee.org_id},
            "terms": {
                "payment_mode": "running_royalty",
                "royalty_base": "net_sales",
                "royalty_rate": "3",
                "payment_schedule": "每年3月31日前按上一年度净销售额支付",
                "term_start": str(start),
                "term_end": str(term_end or date(real_today().year + 3, 12, 31)),
            },
            "field_of_use": "锂电池正极材料",
            "effective_date": str(start),
        },
        headers=university.headers(settings),
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def end_body(ended_on: date, reason_code: str = "agreement") -> dict[str, Any]:
    return {"ended_on": str(ended_on), "reason_code": reason_code, "note": "双方协商一致终止"}


async def test_both_parties_terminate_an_exclusive_licence_and_another_may_then_be_granted(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "中南大学")
    licensee = org(OrgType.ENTERPRISE, "湖南杉杉能源科技有限公司")
    successor = org(OrgType.ENTERPRISE, "长沙某新材料有限公司")
    stranger = org(OrgType.ENTERPRISE, "株洲某电池有限公司")
    today = real_today()
    licence = await negotiated(
        license_client,
        license_settings,
        feed,
        university,
        licensee,
        term_start=today - timedelta(days=30),
    )
    number, url = licence["application_number"], f"/v1/licenses/{licence['id']}/termination"
    second = {"licensee": successor, "number": number}

    assert_problem(
        await license_client.post(
            url, json=end_body(today), headers=stranger.headers(license_settings)
        ),
        404,
        "not-found",
    )
    assert_problem(
        await license_client.post(
            url,
            json=end_body(today + timedelta(days=1)),
            headers=university.headers(license_settings),
        ),
        422,
        "license-end-date-invalid",
        "after today",
    )
    assert_problem(
        await license_client.post(
            url,
            json=end_body(today, "licensee_gives_up"),
            headers=licensee.headers(license_settings),
        ),
        403,
        "license-termination-not-allowed",
        "open licence",
    )
    first = await license_client.post(
        url, json=end_body(today), headers=university.headers(license_settings)
    )
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "active"
    assert [c["role"] for c in first.json()["termination_consents"]] == ["licensor"]
    # While only one side consented, the licence still excludes another exclusive one.
    blocked = await negotiated_again(license_client, license_settings, university, **second)
    assert_problem(blocked, 422, "license-conflicts-with-licence-in-force", licence["id"])
    assert_problem(
        await license_client.post(
            url,
            json=end_body(today - timedelta(days=1)),
            headers=licensee.headers(license_settings),
        ),
        422,
        "license-termination-terms-differ",
        str(today),
    )
    ended = await license_client.post(
        url, json=end_body(today), headers=licensee.headers(license_settings)
    )
    assert ended.status_code == 200, ended.text
    body = ended.json()
    assert (body["status"], body["ended_on"], body["end_reason"]) == (
        "terminated",
        str(today),
        "agreement",
    )
    [event] = await events_of(license_settings, LicenseEnded.event_type, licence["id"])
    assert event.data["reason"] == "terminated"
    assert event.data["ended_on"] == str(today)
    assert event.data["kind"] == "exclusive"
    assert "note" not in event.data
    assert "end_reason" not in event.data
    assert event.subject == number

    assert_problem(
        await license_client.post(
            url, json=end_body(today), headers=licensee.headers(license_settings)
        ),
        409,
        "license-already-ended",
    )
    # Periods that start after the end are cancelled; none of them is reported.
    periods = (
        await license_client.get(
            f"/v1/licenses/{licence['id']}/royalties", headers=licensee.headers(license_settings)
        )
    ).json()
    assert periods
    assert all(
        (p["cancelled_on"] == str(today)) == (p["period_start"] >= str(today)) for p in periods
    )
    # The ended licence no longer excludes anything: a new exclusive licence is granted.
    granted = await negotiated_again(license_client, license_settings, university, **second)
    assert granted.status_code == 201, granted.text


async def negotiated_again(
    client: httpx.AsyncClient,
    settings: LicenseSettings,
    university: Org,
    *,
    licensee: Org,
    number: str,
) -> httpx.Response:
    today = real_today()
    return await client.post(
        "/v1/negotiated-licenses",
        json={
            "application_number": number,
            "kind": "exclusive",
            "licensee": {"name": licensee.name, "uscc": licensee.uscc, "org_id": licensee.org_id},
            "terms": {
                "payment_mode": "lump_sum",
                "lump_sum_fee": "800000.00",
                "term_start": str(today),
                "term_end": str(date(today.year + 2, 12, 31)),
            },
            "effective_date": str(today),
        },
        headers=university.headers(settings),
    )


async def test_the_licensee_of_an_open_licence_gives_it_up_and_may_take_it_again(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "华南理工大学")
    licensee = org(OrgType.ENTERPRISE, "广州某照明电器有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    taken = await accept(license_client, license_settings, licensee, published.declaration_id)
    licence = taken.json()
    url = f"/v1/licenses/{licence['id']}/termination"
    today = real_today()
    assert_problem(
        await license_client.post(
            url, json=end_body(today), headers=licensee.headers(license_settings)
        ),
        409,
        "license-not-in-force",
        "awaiting_payment",
    )
    paid = await license_client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body(),
        headers=licensee.headers(license_settings),
    )
    assert paid.status_code == 201, paid.text
    assert_problem(
        await license_client.post(
            url,
            json=end_body(today, "licensee_gives_up"),
            headers=university.headers(license_settings),
        ),
        403,
        "license-termination-not-allowed",
        "only the licensee",
    )
    given_up = await license_client.post(
        url, json=end_body(today, "licensee_gives_up"), headers=licensee.headers(license_settings)
    )
    assert given_up.status_code == 200, given_up.text
    assert (given_up.json()["status"], given_up.json()["end_reason"]) == (
        "terminated",
        "licensee_gives_up",
    )
    # An ended licence takes no payment but a royalty period's; none files.
    assert_problem(
        await license_client.post(
            f"/v1/licenses/{licence['id']}/payments",
            json=payment_body(),
            headers=licensee.headers(license_settings),
        ),
        409,
        "license-ended-no-payment",
    )
    filed = await license_client.post(
        f"/v1/licenses/{licence['id']}/filing",
        json={"filing_number": "2026990000777", "filed_on": str(today)},
        headers=licensee.headers(license_settings),
    )
    assert filed.status_code == 409, filed.text
    # It no longer counts as held: the licensee may take the declaration's terms again.
    again = await accept(license_client, license_settings, licensee, published.declaration_id)
    assert again.status_code == 201, again.text


async def test_a_licensor_rescinds_for_a_recorded_breach_and_the_operator_on_a_judgment(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "浙江大学")
    licensee = org(OrgType.ENTERPRISE, "杭州某电机有限公司")
    other = org(OrgType.ENTERPRISE, "宁波某电机有限公司")
    operator = org(OrgType.OPERATOR, "平台运营方")
    today = real_today()
    # Running since two years ago: its first yearly report is long overdue, so the
    # deadline watch records a breach of it.
    since = date(today.year - 2, 1, 1)
    licence = await negotiated(
        license_client, license_settings, feed, university, licensee, term_start=since
    )
    other_licence = await negotiated(
        license_client, license_settings, feed, university, other, term_start=since
    )

    async def breach_of(license_id: str) -> str | None:
        found = await license_client.get(
            "/v1/breaches",
            params={"license_id": license_id},
            headers=operator.headers(license_settings),
        )
        items = found.json()["items"]
        return str(items[0]["id"]) if items else None

    breach_id = await eventually(lambda: breach_of(licence["id"]))
    foreign_breach = await eventually(lambda: breach_of(other_licence["id"]))
    url = f"/v1/licenses/{licence['id']}/rescission"

    def body(kind: str, reference: str, ended_on: date = today) -> dict[str, Any]:
        return {"ended_on": str(ended_on), "ground": {"kind": kind, "reference": reference}}

    assert_problem(
        await license_client.post(
            url, json=body("breach", breach_id), headers=licensee.headers(license_settings)
        ),
        403,
        "license-rescission-by-licensee",
    )
    assert_problem(
        await license_client.post(
            url, json=body("breach", breach_id), headers=other.headers(license_settings)
        ),
        404,
        "not-found",
    )
    assert_problem(
        await license_client.post(
            "/v1/licenses/no-such-licence/rescission",
            json=body("breach", breach_id),
            headers=university.headers(license_settings),
        ),
        404,
        "not-found",
    )
    assert_problem(
        await license_client.post(
            url, json=body("breach", foreign_breach), headers=university.headers(license_settings)
        ),
        422,
        "license-rescission-ground-invalid",
        foreign_breach,
    )
    assert_problem(
        await license_client.post(
            url,
            json=body("breach", breach_id, since - timedelta(days=1)),
            headers=university.headers(license_settings),
        ),
        422,
        "license-end-date-invalid",
        "before the licence took effect",
    )
    assert_problem(
        await license_client.post(
            url,
            json=body("arbitral_award", "（2026）深仲裁字第88号"),
            headers=operator.headers(license_settings),
        ),
        422,
        "license-rescission-ground-invalid",
        "judgment",
    )
    blank = await license_client.post(
        url, json=body("breach", "  "), headers=university.headers(license_settings)
    )
    assert blank.status_code == 422, blank.text

    rescinded = await license_client.post(
        url, json=body("breach", breach_id), headers=university.headers(license_settings)
    )
    assert rescinded.status_code == 200, rescinded.text
    assert (rescinded.json()["status"], rescinded.json()["end_reason"]) == (
        "rescinded",
        f"breach:{breach_id}",
    )
    [event] = await events_of(license_settings, LicenseEnded.event_type, licence["id"])
    assert event.data["reason"] == "rescinded"
    assert breach_id not in str(event.data)
    assert_problem(
        await license_client.post(
            url, json=body("breach", breach_id), headers=university.headers(license_settings)
        ),
        409,
        "license-already-ended",
    )
    # The periods of its term are still owed: the overdue one is reported after the end.
    periods = (
        await license_client.get(
            f"/v1/licenses/{licence['id']}/royalties", headers=licensee.headers(license_settings)
        )
    ).json()
    first = periods[0]
    assert first["cancelled_on"] is None
    assert first["report_overdue"]
    reported = await license_client.post(
        f"/v1/licenses/{licence['id']}/royalties/{first['id']}/report",
        json={"base_amount": {"amount": "100000.00", "currency": "CNY"}},
        headers=licensee.headers(license_settings),
    )
    assert reported.status_code in (200, 201), reported.text

    by_court = await license_client.post(
        f"/v1/licenses/{other_licence['id']}/rescission",
        json=body("judgment", "（2026）浙01民初321号"),
        headers=operator.headers(license_settings),
    )
    assert by_court.status_code == 200, by_court.text
    assert by_court.json()["end_reason"] == "judgment:（2026）浙01民初321号"


async def test_a_licence_whose_term_ended_expires_once_with_several_instances_sweeping(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "山东大学")
    licensees = [org(OrgType.ENTERPRISE, f"济南某装备有限公司{i}") for i in range(3)]
    today = real_today()
    ended = today - timedelta(days=1)
    licences = [
        await negotiated(
            license_client,
            license_settings,
            feed,
            university,
            who,
            term_start=today - timedelta(days=400),
            term_end=ended,
        )
        for who in licensees
    ]
    ids = [licence["id"] for licence in licences]
    # Four more instances sweep together with the service's own deadline watch.
    instances = [
        ServiceRuntime(
            license_settings,
            tables=infrastructure,
            migrations_dir=MIGRATIONS,
            publishes={topics.LICENSE},
        )
        for _ in range(4)
    ]
    try:
        await asyncio.gather(*(sweep(rt.uow, license_settings) for rt in instances))
    finally:
        for rt in instances:
            await rt.engine.dispose()

    async def expired() -> bool:
        for licence, who in zip(licences, licensees, strict=True):
            body = await licence_of(license_client, license_settings, who, licence["id"])
            if body["status"] != "expired":
                return False
            assert (body["ended_on"], body["end_reason"]) == (str(today), "term_ended")
        return True

    await eventually(expired)
    await asyncio.sleep(license_settings.deadline_watch_interval_s * 3)
    assert await emitted(license_settings, LicenseEnded.event_type, *ids) == dict.fromkeys(ids, 1)
    [event, *_] = await events_of(license_settings, LicenseEnded.event_type, ids[0])
    assert (event.data["reason"], event.data["ended_on"], event.data["term_end"]) == (
        "expired",
        str(today),
        str(ended),
    )
