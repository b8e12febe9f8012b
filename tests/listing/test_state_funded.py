"""State-funded patents not exploited five years after grant, through the API, with the
controllable clock: the sweep of an app of their own flags them on the anniversary
(Asia/Shanghai), once; a licence of any kind, or a justified reason with evidence,
clears the flag; regulators list what is flagged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from listing.config import ListingSettings
from listing.domain.funding import latest_grant_due
from listing.main import create_app
from shared.auth import OrgType
from shared.clock import ControllableClock, move_clock
from shared.domain.terms import LicenseKind
from shared.events import topics
from shared.events.envelope import CloudEvent
from shared.events.schemas import LicenseGranted, OrgRef
from tests.listing.factories import patent_body
from tests.listing.test_declarations import publish
from tests.support.stack import (
    Org,
    Stack,
    application_number,
    consumed,
    eventually,
    org,
    read_topic,
    running_app,
)

REGULATOR = org(OrgType.REGULATOR, "国家知识产权局")
PDF = "%PDF-1.7\n情况说明：关键设备受出口管制，产业化暂缓".encode()
FLAGGED = "cn.ipmarket.listing.state_funded.flagged.v1"
CLEARED = "cn.ipmarket.listing.state_funded.flag_cleared.v1"


@pytest.fixture(scope="module")
def clock_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("state-funded") / "clock.json"


@pytest.fixture(scope="module")
def settings(stack: Stack, clock_file: Path) -> ListingSettings:
    return stack.settings(
        ListingSettings, clock_file=str(clock_file), state_funded_sweep_interval_s=0.2
    )


@pytest.fixture(scope="module")
async def client(settings: ListingSettings) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(create_app(settings)) as c:
        yield c


def today(clock_file: Path) -> date:
    return ControllableClock(clock_file).today()


async def register(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, granted: date, **kw: Any
) -> str:
    body = patent_body(
        owner,
        application_number=application_number(2015, 1),
        filing_date="2015-03-15",
        grant_date=granted.isoformat(),
        **{"state_funded": True, **kw},
    )
    response = await client.post("/v1/patents", json=body, headers=owner.headers(settings))
    assert response.status_code == 201, response.text
    return str(response.json()["application_number"])


async def flagged(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org
) -> dict[str, str]:
    """The owner's flagged patents, as the regulators' list shows them: number -> day."""
    response = await client.get(
        "/v1/inventory/state-funded/flagged",
        params={"institution": owner.uscc},
        headers=REGULATOR.headers(settings),
    )
    assert response.status_code == 200, response.text
    return {p["application_number"]: p["flagged_on"] for p in response.json()["items"]}


def about(events: list[CloudEvent], kind: str, number: str) -> list[CloudEvent]:
    return [e for e in events if e.type == kind and e.data["application_number"] == number]


async def test_the_flag_is_raised_on_the_fifth_anniversary_once(
    client: httpx.AsyncClient, settings: ListingSettings, clock_file: Path
) -> None:
    owner = org(OrgType.UNIVERSITY, "四川大学")
    cutoff = latest_grant_due(today(clock_file))
    due_today = await register(client, settings, owner, cutoff)
    due_tomorrow = await register(client, settings, owner, cutoff + timedelta(days=1))
    not_funded = await register(client, settings, owner, cutoff, state_funded=False)
    # Once the patent due today is flagged, the sweep has looked at the others too.
    await eventually(lambda: _has(client, settings, owner, due_today))
    listed = await flagged(client, settings, owner)
    assert listed == {due_today: today(clock_file).isoformat()}
    assert not_funded not in listed
    move_clock(clock_file, by=timedelta(days=1))
    await eventually(lambda: _has(client, settings, owner, due_tomorrow))
    assert (await flagged(client, settings, owner))[due_tomorrow] == today(clock_file).isoformat()
    # Sweeps go on; a later event is the mark that everything before it was published.
    marker = await register(client, settings, owner, date(2024, 1, 10))
    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: any(e.data.get("application_number") == marker for e in es),
    )
    raised = about(events, FLAGGED, due_today)
    assert len(raised) == 1
    assert raised[0].data["institutions"] == [
        {"org_id": None, "name": owner.name, "uscc": owner.uscc}
    ]
    assert len(about(events, FLAGGED, due_tomorrow)) == 1
    assert about(events, FLAGGED, not_funded) == []


async def test_a_licence_of_any_kind_prevents_or_clears_the_flag(
    client: httpx.AsyncClient, settings: ListingSettings, clock_file: Path
) -> None:
    owner = org(OrgType.RESEARCH_INSTITUTE, "中国科学院成都生物研究所")
    cutoff = latest_grant_due(today(clock_file))
    licensed_before = await register(client, settings, owner, cutoff + timedelta(days=1))
    licensed_after = await register(client, settings, owner, cutoff)
    sent = await publish(settings, licence(licensed_before, owner))
    await consumed(settings, sent.id)
    await eventually(lambda: _has(client, settings, owner, licensed_after))
    sent = await publish(settings, licence(licensed_after, owner))
    await consumed(settings, sent.id)
    assert await flagged(client, settings, owner) == {}
    move_clock(clock_file, by=timedelta(days=1))
    # A day on, the licensed patent is still not flagged, though the sweep ran (a
    # state-funded patent of another owner, due today, is flagged meanwhile).
    other = org(OrgType.UNIVERSITY, "西南交通大学")
    witness = await register(client, settings, other, latest_grant_due(today(clock_file)))
    await eventually(lambda: _has(client, settings, other, witness))
    assert await flagged(client, settings, owner) == {}
    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: bool(about(es, CLEARED, licensed_after)),
    )
    assert [e.data["because"] for e in about(events, CLEARED, licensed_after)] == ["licensed"]


def licence(number: str, owner: Org) -> LicenseGranted:
    """An ordinary licence: listing keeps no encumbrance for it, but it exploits the patent."""
    return LicenseGranted(
        license_id=f"lic-{number}",
        application_number=number,
        patent_number=f"ZL{number}",
        kind=LicenseKind.ORDINARY,
        licensors=[OrgRef(name=owner.name, uscc=owner.uscc)],
        licensee=OrgRef(name="成都某生物科技有限公司", uscc="91510100MA6C000000"),
        effective_date=date(2026, 1, 1),
        term_end=date(2028, 12, 31),
        filing_deadline=date(2026, 4, 1),
    )


async def test_a_justified_reason_with_evidence_clears_the_flag(
    client: httpx.AsyncClient, settings: ListingSettings, clock_file: Path
) -> None:
    owner = org(OrgType.UNIVERSITY, "电子科技大学")
    number = await register(client, settings, owner, latest_grant_due(today(clock_file)))
    await eventually(lambda: _has(client, settings, owner, number))
    url = f"/v1/patents/{number}/implementations"
    reason = {
        "kind": "justified_reason",
        "date": "2025-06-01",
        "description": "关键设备受出口管制无法进口，产业化暂缓。",
    }
    without = await client.post(url, json=reason, headers=owner.headers(settings))
    assert without.status_code == 422
    assert "evidence_document_ids" in without.text
    uploaded = await client.post(
        "/v1/documents",
        params={"application_number": number, "kind": "other", "filename": "情况说明.pdf"},
        content=PDF,
        headers={**owner.headers(settings), "content-type": "application/pdf"},
    )
    assert uploaded.status_code == 201, uploaded.text
    body = {**reason, "evidence_document_ids": [uploaded.json()["id"]]}
    stranger = org(OrgType.UNIVERSITY, "某大学")
    refused = await client.post(url, json=body, headers=stranger.headers(settings))
    assert refused.status_code == 403
    assert await flagged(client, settings, owner) == {number: today(clock_file).isoformat()}
    future = {**body, "date": (today(clock_file) + timedelta(days=3)).isoformat()}
    too_early = await client.post(url, json=future, headers=owner.headers(settings))
    assert too_early.status_code == 422
    assert "date" in too_early.json()["detail"]
    recorded = await client.post(url, json=body, headers=owner.headers(settings))
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["kind"] == "justified_reason"
    assert await flagged(client, settings, owner) == {}
    events = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.LISTING,
        until=lambda es: bool(about(es, CLEARED, number)),
    )
    cleared = about(events, CLEARED, number)
    assert [e.data["because"] for e in cleared] == ["justified_reason"]
    # Only the public facts: no description, no evidence in the event.
    assert set(cleared[0].data) == {"application_number", "cleared_on", "because"}


async def test_only_regulators_and_the_operator_list_flagged_patents_as_json_or_csv(
    client: httpx.AsyncClient, settings: ListingSettings, clock_file: Path
) -> None:
    owner = org(OrgType.UNIVERSITY, "西南石油大学")
    number = await register(
        client, settings, owner, latest_grant_due(today(clock_file)), region_code="510107"
    )
    await eventually(lambda: _has(client, settings, owner, number))
    url = "/v1/inventory/state-funded/flagged"
    denied = await client.get(url, headers=owner.headers(settings))
    assert denied.status_code == 403
    headers = REGULATOR.headers(settings)
    in_chengdu = await client.get(url, params={"region": "510100"}, headers=headers)
    assert number in [p["application_number"] for p in in_chengdu.json()["items"]]
    in_shenzhen = await client.get(url, params={"region": "440300"}, headers=headers)
    assert number not in [p["application_number"] for p in in_shenzhen.json()["items"]]
    exported = await client.get(
        url, params={"institution": owner.uscc}, headers={**headers, "accept": "text/csv"}
    )
    assert exported.headers["content-type"].startswith("text/csv")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "application_number,patent_number,title,grant_date,flagged_on,region_code,institutions"
    )
    assert len(lines) == 2
    assert lines[1].startswith(number)
    assert f"{owner.name}({owner.uscc})" in lines[1]


async def _has(
    client: httpx.AsyncClient, settings: ListingSettings, owner: Org, number: str
) -> bool:
    return number in await flagged(client, settings, owner)
