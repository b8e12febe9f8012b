"""The deadline watch on credit records, with a clock the test controls (an app of its
own, on its own database and clock file): an objection the regulator leaves undecided is
reported overdue once, the objection window closes after 15 working days (across the
2026 National Day holiday), and a record whose period ended expires and its restriction
is lifted."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from license.config import LicenseSettings
from license.main import create_app
from shared.auth import OrgType
from shared.clock import ControllableClock, SystemClock, move_clock
from shared.domain.calendar import SHANGHAI, add_months, load_default
from shared.events import topics
from tests.license.client import assert_problem
from tests.license.test_credit import record_body, upload
from tests.support.stack import Org, Stack, eventually, org, read_topic, running_app

# Monday 21 September 2026: 25-27 September and 1-7 October are off, Saturday 10
# October is a working day.
START = date(2026, 9, 21)
CALENDAR = load_default()
OVERDUE = "cn.ipmarket.license.credit.objection_overdue.v1"
LIFTED = "cn.ipmarket.license.credit.restriction_lifted.v1"


@pytest.fixture
async def swept(
    stack: Stack, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, LicenseSettings, Path]]:
    """An app whose clock reads 10:00 on START (Asia/Shanghai), sweeping every 0.2 s."""
    clock_file = tmp_path / "clock.json"
    start = datetime(START.year, START.month, START.day, 10, tzinfo=SHANGHAI)
    move_clock(clock_file, by=start - SystemClock().now())
    settings = stack.settings(
        LicenseSettings, clock_file=str(clock_file), deadline_watch_interval_s=0.2
    )
    async with running_app(create_app(settings)) as client:
        yield client, settings, clock_file


def _to(clock_file: Path, day: date) -> None:
    """Move the clock to the same hour of ``day``."""
    move_clock(clock_file, by=timedelta(days=(day - _today(clock_file)).days))


def _today(clock_file: Path) -> date:
    return ControllableClock(str(clock_file)).today()


async def _record(
    client: httpx.AsyncClient, settings: LicenseSettings, regulator: Org, party: Org, until: date
) -> dict[str, Any]:
    evidence = await upload(client, settings, regulator)
    body = record_body(party, [evidence], period={"from": str(START), "until": str(until)})
    response = await client.post(
        "/v1/credit-records", json=body, headers=regulator.headers(settings)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_the_sweep_reports_an_undecided_objection_once_and_ends_a_period(
    swept: tuple[httpx.AsyncClient, LicenseSettings, Path],
) -> None:
    client, settings, clock_file = swept
    regulator = org(OrgType.REGULATOR, "浙江省市场监督管理局（知识产权局）")
    party = org(OrgType.ENTERPRISE, "杭州某示例科技有限公司")
    assert _today(clock_file) == START
    objected_to = await _record(client, settings, regulator, party, add_months(START, 12))
    late = await _record(client, settings, regulator, party, add_months(START, 12))
    short = await _record(client, settings, regulator, party, add_months(START, 1))
    objection = await client.post(
        f"/v1/credit-records/{objected_to['id']}/objections",
        json={"grounds": "已足额支付，附回单。"},
        headers=party.headers(settings),
    )
    assert objection.status_code == 201, objection.text
    decide_by = CALENDAR.add_working_days(START, 10)
    assert objection.json()["decide_by"] == str(decide_by) == "2026-10-12"

    # The day after the window closes: 15 working days from START run to 19 October.
    closes = CALENDAR.add_working_days(START, 15)
    assert str(closes) == late["objection_window_closes"] == "2026-10-19"
    _to(clock_file, closes + timedelta(days=1))
    refused = await client.post(
        f"/v1/credit-records/{late['id']}/objections",
        json={"grounds": "逾期提出的异议"},
        headers=party.headers(settings),
    )
    assert_problem(refused, 422, "credit-objection-window-closed")

    def overdue(events: list[Any]) -> list[Any]:
        return [
            e
            for e in events
            if e.type == OVERDUE and e.data["objection_id"] == objection.json()["id"]
        ]

    await read_topic(
        settings.kafka_bootstrap_servers, topics.LICENSE, until=lambda es: bool(overdue(es))
    )
    await asyncio.sleep(1.5)  # several more sweeps: none may report it again
    events = await read_topic(
        settings.kafka_bootstrap_servers, topics.LICENSE, until=lambda es: bool(overdue(es))
    )
    [event] = overdue(events)
    assert event.data["decide_by"] == "2026-10-12"
    assert event.partitionkey == party.uscc

    # The short record's period ends on 21 October: on the 22nd it has expired.
    assert short["period"]["until"] == "2026-10-21"
    _to(clock_file, date(2026, 10, 22))

    async def expired() -> dict[str, Any] | None:
        r = await client.get(f"/v1/credit-records/{short['id']}", headers=party.headers(settings))
        body: dict[str, Any] = r.json()
        return body if body["state"] == "expired" else None

    ended = await eventually(expired)
    assert ended["history"][-1]["action"] == "expired"
    lifted = await read_topic(
        settings.kafka_bootstrap_servers,
        topics.LICENSE,
        until=lambda es: any(e.type == LIFTED and e.data["record_id"] == short["id"] for e in es),
    )
    [lift] = [e for e in lifted if e.type == LIFTED and e.data["record_id"] == short["id"]]
    assert lift.data["reason"] == "period_ended"
    still = await client.get(f"/v1/credit-records/{late['id']}", headers=party.headers(settings))
    assert still.json()["state"] == "in_force"
