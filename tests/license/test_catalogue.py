"""License's catalogue view of listing's patents: learned from live events and from
restatements in either order, and what it lets a patentee do (negotiated licences on
patents without a declaration), through the HTTP API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from license.config import LicenseSettings
from shared.auth import OrgType
from tests.license.client import assert_problem
from tests.license.factories import (
    EventFeed,
    owner_changed,
    patent_registered,
    patent_restated,
    status_changed,
)
from tests.license.test_negotiated import contract
from tests.support.stack import Org, consumed, org


async def learn(feed: EventFeed, settings: LicenseSettings, *events: Any, **kw: Any) -> None:
    for event in events:
        ce = await feed.publish(event, **kw)
        await consumed(settings, ce.id)


async def grant(
    client: httpx.AsyncClient, settings: LicenseSettings, patentee: Org, number: str
) -> httpx.Response:
    licensee = org(OrgType.ENTERPRISE, "宁德时代新能源科技股份有限公司")
    return await client.post(
        "/v1/negotiated-licenses",
        json=contract(number, licensee),
        headers=patentee.headers(settings),
    )


async def test_a_negotiated_licence_is_recorded_on_a_patent_without_a_declaration(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "中国科学技术大学")
    registered = patent_registered(university)
    number = registered.application_number
    unknown = await grant(license_client, license_settings, university, number)
    assert_problem(unknown, 404, "patent-unknown", number)

    await learn(feed, license_settings, registered)
    granted = await grant(license_client, license_settings, university, number)
    assert granted.status_code == 201, granted.text
    assert granted.json()["licensors"][0]["uscc"] == university.uscc
    stranger = org(OrgType.UNIVERSITY, "浙江大学")
    refused = await grant(license_client, license_settings, stranger, number)
    assert_problem(refused, 403, "not-licensor", number)

    await learn(feed, license_settings, status_changed(number, "terminated"))
    lapsed = await grant(license_client, license_settings, university, number)
    assert_problem(lapsed, 422, "patent-not-valid", number, "terminated")


async def test_a_restatement_never_overwrites_a_later_owner_change_whatever_the_order(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.UNIVERSITY, "华中科技大学")
    buyer = org(OrgType.ENTERPRISE, "武汉某光电科技有限公司")
    now = datetime.now(UTC)
    before, restated_at, after = now - timedelta(minutes=2), now - timedelta(minutes=1), now

    # The live change (after) arrives first, the older restatement second.
    late = patent_registered(university)
    await learn(feed, license_settings, late, time=before)
    await learn(
        feed,
        license_settings,
        owner_changed(late.application_number, university, buyer),
        time=after,
    )
    await learn(feed, license_settings, patent_restated(late, university, restated_at))
    # The restatement first, the later live change second.
    early = patent_registered(university)
    await learn(feed, license_settings, patent_restated(early, university, restated_at))
    await learn(
        feed,
        license_settings,
        owner_changed(early.application_number, university, buyer),
        time=after,
    )

    for number in (late.application_number, early.application_number):
        assert (await grant(license_client, license_settings, buyer, number)).status_code == 201
        refused = await grant(license_client, license_settings, university, number)
        assert_problem(refused, 403, "not-licensor", number)


async def test_a_restatement_fills_the_view_and_a_later_one_does_not_undo_a_lapse(
    license_client: httpx.AsyncClient, license_settings: LicenseSettings, feed: EventFeed
) -> None:
    university = org(OrgType.RESEARCH_INSTITUTE, "中国科学院大连化学物理研究所")
    registered = patent_registered(university)
    number = registered.application_number
    now = datetime.now(UTC)
    # Registered before license existed: only the restatement tells license of it.
    await learn(feed, license_settings, patent_restated(registered, university, now))
    assert (await grant(license_client, license_settings, university, number)).status_code == 201
    await learn(feed, license_settings, status_changed(number), time=now + timedelta(seconds=5))
    # A restatement read before the lapse, delivered after it.
    await learn(
        feed, license_settings, patent_restated(registered, university, now + timedelta(seconds=1))
    )
    lapsed = await grant(license_client, license_settings, university, number)
    assert_problem(lapsed, 422, "patent-not-valid", number)
