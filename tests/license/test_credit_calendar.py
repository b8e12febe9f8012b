"""Credit supervision in a year the working-day calendar lacks, through the HTTP API, on
an app of its own (its own database and clock file) whose calendar (the setting
``calendar_file``) ends with 2026, whatever the packaged file holds when this runs.

On Monday 21 December 2026 a record's 15 working days and an objection's 10 reach
January 2027: the record is recorded and the objection filed all the same, both
deadlines pending (null, waiting for 2027), and the deadline watch skips them with a
warning while it still expires another record. Once the operator adds 2027 and
restarts, the record shows its window's last day, the watch counts the decision day and
reports the undecided objection overdue, once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from license.config import LicenseSettings
from license.main import create_app
from license.workers import sweep
from shared.auth import OrgType
from shared.clock import ControllableClock, SystemClock, move_clock
from shared.domain.calendar import SHANGHAI
from shared.events import topics
from shared.runtime import ServiceRuntime
from tests.license.calendars import calendar_file
from tests.license.test_credit import record_body, upload
from tests.support.stack import Org, Stack, org, read_topic, running_app

DAY = date(2026, 12, 21)  # a Monday
OVERDUE = "cn.ipmarket.license.credit.objection_overdue.v1"
LIFTED = "cn.ipmarket.license.credit.restriction_lifted.v1"


@dataclass
class CreditApp:
    client: httpx.AsyncClient
    settings: LicenseSettings
    runtime: ServiceRuntime

    async def sweep(self) -> int:
        return await sweep(self.runtime.uow, self.settings)

    async def get(self, path: str, who: Org) -> dict[str, Any]:
        response = await self.client.get(path, headers=who.headers(self.settings))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def post(self, path: str, who: Org, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(path, json=body, headers=who.headers(self.settings))
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


@pytest.fixture
def clock_file(tmp_path: Path) -> Path:
    """A clock reading 10:00 on DAY (Asia/Shanghai)."""
    path = tmp_path / "clock.json"
    start = datetime(DAY.year, DAY.month, DAY.day, 10, tzinfo=SHANGHAI)
    move_clock(path, by=start - SystemClock().now())
    return path


@pytest.fixture
def base_settings(stack: Stack, clock_file: Path, tmp_path: Path) -> LicenseSettings:
    # The worker sweeps once at start, then stays out of the way: the test sweeps.
    return stack.settings(
        LicenseSettings,
        clock_file=str(clock_file),
        deadline_watch_interval_s=3600,
        calendar_file=calendar_file(tmp_path, with_2027=False),
    )


@pytest.fixture
async def app_2026(base_settings: LicenseSettings) -> AsyncIterator[CreditApp]:
    app = create_app(base_settings)
    async with running_app(app) as client:
        yield CreditApp(client, base_settings, app.state.runtime)


async def test_in_december_2026_records_and_objections_stand_and_wait_for_2027(
    app_2026: CreditApp,
    base_settings: LicenseSettings,
    clock_file: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = app_2026
    regulator = org(OrgType.REGULATOR, "浙江省市场监督管理局（知识产权局）")
    party = org(OrgType.ENTERPRISE, "杭州某示例科技有限公司")
    evidence = await upload(app.client, app.settings, regulator)
    period = {"from": str(DAY), "until": "2027-12-21"}
    recorded = await app.post(
        "/v1/credit-records", regulator, record_body(party, [evidence], period=period)
    )
    assert recorded["state"] == "in_force"
    assert recorded["effective_on"] == str(DAY)
    assert (recorded["objection_window_closes"], recorded["objection_window_awaits_year"]) == (
        None,
        2027,
    )
    # A record whose period ended yesterday: the watch must still expire it.
    ended = await app.post(
        "/v1/credit-records",
        regulator,
        record_body(party, [evidence], period={"from": "2026-11-20", "until": "2026-12-20"}),
    )
    objection = await app.post(
        f"/v1/credit-records/{recorded['id']}/objections", party, {"grounds": "已足额支付。"}
    )
    assert (objection["decide_by"], objection["decide_by_awaits_year"]) == (None, 2027)
    seen = await app.get(f"/v1/credit-records/{recorded['id']}", party)
    [listed] = seen["objections"]
    assert (listed["decide_by"], listed["decide_by_awaits_year"]) == (None, 2027)

    with caplog.at_level(logging.WARNING, logger="license.credit.service"):
        assert await app.sweep() == 1  # the ended record, not the waiting objection
    assert any("2027" in r.getMessage() for r in caplog.records), caplog.text
    expired = await app.get(f"/v1/credit-records/{ended['id']}", regulator)
    assert expired["state"] == "expired"
    # Weeks on, the window still cannot be counted: the party may object again.
    _to(clock_file, date(2027, 2, 1))
    waiting = await app.get(f"/v1/credit-records/{recorded['id']}", party)
    assert waiting["objection_window_awaits_year"] == 2027
    assert await app.sweep() == 0

    # The operator adds 2027 and restarts (an app on the same database).
    _to(clock_file, DAY)
    settings = base_settings.model_copy(
        update={"calendar_file": calendar_file(tmp_path, with_2027=True)}
    )
    app_2027 = create_app(settings)
    async with running_app(app_2027) as client:
        restarted = CreditApp(client, settings, app_2027.state.runtime)
        # 22-25 and 28-31 December, 1 January off, 4-8, 11 and 12 January.
        counted = await restarted.get(f"/v1/credit-records/{recorded['id']}", party)
        assert (counted["objection_window_closes"], counted["objection_window_awaits_year"]) == (
            "2027-01-12",
            None,
        )
        # 22-25 and 28-31 December, 4 and 5 January.
        [shown] = counted["objections"]
        assert (shown["decide_by"], shown["decide_by_awaits_year"]) == ("2027-01-05", None)
        # The decision day is kept (by this sweep or the worker's first, at start).
        await restarted.sweep()
        _to(clock_file, date(2027, 1, 6))
        # Overdue now: raised by this sweep, or by the worker's first tick if it ran
        # late; exactly once either way (the topic is read below).
        await restarted.sweep()
        assert await restarted.sweep() == 0

    def overdue(events: list[Any]) -> list[Any]:
        return [
            e for e in events if e.type == OVERDUE and e.data["objection_id"] == objection["id"]
        ]

    events = await read_topic(
        settings.kafka_bootstrap_servers, topics.LICENSE, until=lambda es: bool(overdue(es))
    )
    [event] = overdue(events)
    assert (event.data["filed_on"], event.data["decide_by"]) == (str(DAY), "2027-01-05")
    assert any(e.type == LIFTED and e.data["record_id"] == ended["id"] for e in events)


def _to(clock_file: Path, day: date) -> None:
    """Move the clock to the same hour of ``day``."""
    today = ControllableClock(str(clock_file)).today()
    move_clock(clock_file, by=timedelta(days=(day - today).days))
