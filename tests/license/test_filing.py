"""Filing (备案) through the HTTP API: the deadline watch's reminder and alarm (each
once, even with several instances sweeping), recording the filing number, and the
pledgee's consent a pledged patent needs."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import text

from license.config import LicenseSettings
from license.main import MIGRATIONS, create_app
from license.models import infrastructure
from license.workers import sweep
from shared.auth import OrgType
from shared.domain import add_months
from shared.events import topics
from shared.events.schemas import (
    ConsentSubject,
    LicenseFiled,
    LicenseFilingDue,
    LicenseFilingOverdue,
)
from shared.runtime import ServiceRuntime
from tests.license.client import (
    accept,
    assert_problem,
    emitted,
    events_of,
    learned,
    licence_of,
)
from tests.license.factories import (
    EventFeed,
    consent_recorded,
    declaration_published,
    payment_body,
    pledge_registered,
    terms,
)
from tests.support.stack import Org, Stack, consumed, eventually, org, real_today, running_app

SINCE_YEARS_AGO = terms(term_start=date(real_today().year - 3, 1, 1))


async def paid_licence(
    client: httpx.AsyncClient,
    settings: LicenseSettings,
    feed: EventFeed,
    university: Org,
    licensee: Org,
    *,
    paid_days_ago: int,
) -> dict[str, Any]:
    """A lump-sum open licence that took effect ``paid_days_ago`` days ago."""
    published = declaration_published(university, declared_terms=SINCE_YEARS_AGO)
    await feed.publish(published)
    await learned(client, settings, published.declaration_id)
    licence = (await accept(client, settings, licensee, published.declaration_id)).json()
    paid_on = real_today() - timedelta(days=paid_days_ago)
    paid = await client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body(paid_on=paid_on),
        headers=licensee.headers(settings),
    )
    assert paid.status_code == 201, paid.text
    body: dict[str, Any] = paid.json()
    assert body["filing_deadline"] == str(add_months(paid_on, 3))
    return body


async def test_a_reminder_is_sent_once_before_the_deadline_and_an_alarm_after_it(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "电子科技大学")
    near = org(OrgType.ENTERPRISE, "成都京东方光电科技有限公司")
    late = org(OrgType.ENTERPRISE, "成都某通信设备有限公司")
    due = await paid_licence(
        license_client, license_settings, feed, university, near, paid_days_ago=80
    )
    overdue = await paid_licence(
        license_client, license_settings, feed, university, late, paid_days_ago=120
    )

    [reminder] = await events_of(license_settings, LicenseFilingDue.event_type, due["id"])
    assert reminder.data["filing_deadline"] == due["filing_deadline"]
    deadline = date.fromisoformat(due["filing_deadline"])
    assert reminder.data["days_left"] == (deadline - real_today()).days
    assert 0 <= reminder.data["days_left"] <= license_settings.filing_notice_days
    [alarm] = await events_of(license_settings, LicenseFilingOverdue.event_type, overdue["id"])
    assert alarm.data["licensee"]["uscc"] == late.uscc
    assert alarm.data["licensors"][0]["name"] == "电子科技大学"

    async def alert_of(holder: Org, license_id: str) -> str:
        body = await licence_of(license_client, license_settings, holder, license_id)
        return str(body["filing_alert"])

    assert await alert_of(near, due["id"]) == "due"
    assert await alert_of(late, overdue["id"]) == "overdue"
    # Many more sweeps later, still one reminder and one alarm each (a reminder would
    # also be owed to the overdue licence: the alarm supersedes it). The sweeps are run
    # here, to their end, rather than waited for.
    runtime = ServiceRuntime(
        license_settings,
        tables=infrastructure,
        migrations_dir=MIGRATIONS,
        publishes={topics.LICENSE},
    )
    try:
        for _ in range(4):
            await sweep(runtime.uow, license_settings, real_today())
    finally:
        await runtime.engine.dispose()
    ids = (due["id"], overdue["id"])
    reminders = await emitted(license_settings, LicenseFilingDue.event_type, *ids)
    assert reminders == {due["id"]: 1, overdue["id"]: 0}
    alarms = await emitted(license_settings, LicenseFilingOverdue.event_type, *ids)
    assert alarms == {due["id"]: 0, overdue["id"]: 1}


async def test_the_filing_alert_is_read_from_the_deadline_and_today_not_from_the_watch(
    stack: Stack, feed: EventFeed
) -> None:
    # An instance whose deadline watch swept once at start and then not for an hour:
    # a reader must not wait for its next sweep to see a deadline that has passed.
    settings = stack.settings(LicenseSettings, deadline_watch_interval_s=3600)
    university = org(OrgType.UNIVERSITY, "重庆大学")
    near = org(OrgType.ENTERPRISE, "重庆长安汽车股份有限公司")
    late = org(OrgType.ENTERPRISE, "重庆某摩托车制造有限公司")
    fresh = org(OrgType.ENTERPRISE, "重庆某仪表有限公司")
    async with running_app(create_app(settings)) as client:
        due = await paid_licence(client, settings, feed, university, near, paid_days_ago=80)
        overdue = await paid_licence(client, settings, feed, university, late, paid_days_ago=120)
        current = await paid_licence(client, settings, feed, university, fresh, paid_days_ago=0)
        assert date.fromisoformat(overdue["filing_deadline"]) < real_today()
        # The payment's own answer, the licence read later and the list all agree.
        assert (due["filing_alert"], overdue["filing_alert"], current["filing_alert"]) == (
            "due",
            "overdue",
            "none",
        )
        read = await licence_of(client, settings, late, overdue["id"])
        assert read["filing_alert"] == "overdue"
        listed = await client.get("/v1/licenses", headers=university.headers(settings))
        assert listed.status_code == 200, listed.text
        alerts = {item["id"]: item["filing_alert"] for item in listed.json()["items"]}
        assert alerts == {due["id"]: "due", overdue["id"]: "overdue", current["id"]: "none"}
        # No sweep ran since: the alert was derived, not sent.
        alarms = await emitted(settings, LicenseFilingOverdue.event_type, overdue["id"])
        assert alarms == {overdue["id"]: 0}


async def test_several_instances_sweeping_at_once_send_each_alarm_once(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "大连理工大学")
    licensees = [org(OrgType.ENTERPRISE, f"大连某船舶装备有限公司{i}") for i in range(3)]
    licences = [
        await paid_licence(license_client, license_settings, feed, university, who, paid_days_ago=0)
        for who in licensees
    ]
    ids = [licence["id"] for licence in licences]
    # Four more instances on the same database sweep together, on a day after the
    # deadlines (the service's own watch, on today, owes them nothing yet).
    instances = [
        ServiceRuntime(
            license_settings,
            tables=infrastructure,
            migrations_dir=MIGRATIONS,
            publishes={topics.LICENSE},
        )
        for _ in range(4)
    ]
    later = add_months(real_today(), 3) + timedelta(days=1)
    try:
        await asyncio.gather(*(sweep(rt.uow, license_settings, later) for rt in instances))
        async with instances[0].uow() as uow:
            states = await uow.session.execute(
                text("SELECT filing_alert FROM licenses WHERE id = ANY(:ids)"), {"ids": ids}
            )
            assert {row.filing_alert for row in states} == {"overdue"}
    finally:
        for rt in instances:
            await rt.engine.dispose()
    counts = await emitted(license_settings, LicenseFilingOverdue.event_type, *ids)
    assert counts == dict.fromkeys(ids, 1)


async def test_the_filing_number_is_recorded_by_a_party_once_the_licence_is_active(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "东南大学")
    licensee = org(OrgType.ENTERPRISE, "南京南瑞继保电气有限公司")
    stranger = org(OrgType.ENTERPRISE, "南京某电力设备有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    licence = (
        await accept(license_client, license_settings, licensee, published.declaration_id)
    ).json()
    url = f"/v1/licenses/{licence['id']}/filing"
    today = real_today()
    filing = {"filing_number": "2026320000457", "filed_on": str(today)}

    unpaid = await license_client.post(url, json=filing, headers=licensee.headers(license_settings))
    assert_problem(unpaid, 409, "invalid-state-transition", "awaiting_payment", "active")
    await license_client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body(),
        headers=licensee.headers(license_settings),
    )
    assert_problem(
        await license_client.post(url, json=filing, headers=stranger.headers(license_settings)),
        404,
        "not-found",
    )
    tomorrow = {**filing, "filed_on": str(today + timedelta(days=1))}
    assert_problem(
        await license_client.post(url, json=tomorrow, headers=licensee.headers(license_settings)),
        422,
        "license-filing-date-invalid",
        "filed_on",
        str(today + timedelta(days=1)),
    )
    bad = await license_client.post(
        url,
        json={**filing, "filing_number": "备案 123"},
        headers=licensee.headers(license_settings),
    )
    assert bad.status_code == 422
    assert any("filing_number" in e["field"] for e in bad.json()["errors"])

    filed = await license_client.post(
        url, json=filing, headers=university.headers(license_settings)
    )
    assert filed.status_code == 201, filed.text
    assert filed.json()["status"] == "filed"
    assert filed.json()["filing_number"] == "2026320000457"
    assert filed.json()["filed_on"] == str(today)
    [event] = await events_of(license_settings, LicenseFiled.event_type, licence["id"])
    assert event.data["filing_number"] == "2026320000457"
    assert event.data["late"] is False
    assert event.actor == university.org_id
    again = await license_client.post(url, json=filing, headers=licensee.headers(license_settings))
    assert_problem(again, 409, "invalid-state-transition", "filed")


async def test_a_late_filing_is_recorded_and_flagged_late(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "同济大学")
    licensee = org(OrgType.ENTERPRISE, "上海某建筑科技有限公司")
    licence = await paid_licence(
        license_client, license_settings, feed, university, licensee, paid_days_ago=100
    )
    filed = await license_client.post(
        f"/v1/licenses/{licence['id']}/filing",
        json={"filing_number": "2026310000999", "filed_on": str(real_today())},
        headers=licensee.headers(license_settings),
    )
    assert filed.status_code == 201, filed.text
    [event] = await events_of(license_settings, LicenseFiled.event_type, licence["id"])
    assert event.data["late"] is True


async def test_a_licence_on_a_pledged_patent_is_filed_only_with_the_pledgees_consent(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "合肥工业大学")
    licensee = org(OrgType.ENTERPRISE, "合肥国轩高科动力能源有限公司")
    published = declaration_published(university)
    await feed.publish(published)
    await learned(license_client, license_settings, published.declaration_id)
    licence = (
        await accept(license_client, license_settings, licensee, published.declaration_id)
    ).json()
    await license_client.post(
        f"/v1/licenses/{licence['id']}/payments",
        json=payment_body(),
        headers=licensee.headers(license_settings),
    )
    pledge = pledge_registered(university, published.application_number)
    await feed.publish(pledge)
    await learned(
        license_client, license_settings, published.declaration_id, until=lambda v: v["pledges"]
    )
    url = f"/v1/licenses/{licence['id']}/filing"
    filing = {"filing_number": "2026340000088", "filed_on": str(real_today())}

    refused = await license_client.post(
        url, json=filing, headers=licensee.headers(license_settings)
    )
    assert_problem(
        refused,
        422,
        "license-filing-pledged-without-consent",
        "中国建设银行合肥分行",
        "pledged",
        "consent",
    )
    assert refused.json()["pledge_id"] == pledge.pledge_id

    # A consent naming another licensee does not help: once license has handled it (its id
    # is in license's inbox), the filing is still refused.
    elsewhere = await feed.publish(
        consent_recorded(pledge, ConsentSubject.LICENSE, "91440300MA5FXXXX1X")
    )
    await consumed(license_settings, elsewhere.id)
    still = await license_client.post(url, json=filing, headers=licensee.headers(license_settings))
    assert_problem(
        still,
        422,
        "license-filing-pledged-without-consent",
        "中国建设银行合肥分行",
        "pledged",
        "consent",
    )
    assert still.json()["pledge_id"] == pledge.pledge_id
    # One naming this licensee does.
    await feed.publish(consent_recorded(pledge, ConsentSubject.LICENSE, licensee.uscc))

    async def filed() -> httpx.Response | None:
        response = await license_client.post(
            url, json=filing, headers=licensee.headers(license_settings)
        )
        return response if response.status_code == 201 else None

    response = await eventually(filed)
    assert response.json()["status"] == "filed"
