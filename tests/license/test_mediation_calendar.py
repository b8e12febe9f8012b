"""Mediation in a year the working-day calendar lacks, through the HTTP API: December
2026 on a calendar cut at 2026 (whatever the packaged file holds when this runs), the
State Council's 2027 notice not added yet. Requests and acceptances stand, their
deadlines wait (unknown, or provisional); the deadline watch skips them without failing
and still alerts the other cases; once a calendar covering 2027 is given (the setting
``calendar_file``), the watch counts them and their alerts flow, each once."""

from __future__ import annotations

import logging
import uuid
from datetime import date
from pathlib import Path

import pytest

from license.config import LicenseSettings
from license.main import MIGRATIONS, create_app
from license.models import infrastructure
from license.workers import mediation_sweep
from shared.events import topics
from shared.runtime import ServiceRuntime
from tests.license.calendars import calendar_file
from tests.license.conftest import MediationApp
from tests.license.factories import EventFeed
from tests.license.mediation_client import Dispute, licence_in_dispute, of_type, ok, request_body
from tests.license.mediation_client import staged as staged_events
from tests.license.test_mediation import alerts
from tests.support.stack import running_app


async def accepted_case(app: MediationApp, dispute: Dispute) -> dict[str, object]:
    case = await ok(app, dispute.licensee, "", request_body(dispute))
    await ok(app, dispute.licensor, f"/{case['id']}/response", {"agrees": True})
    accepted: dict[str, object] = await ok(app, dispute.mediator, f"/{case['id']}/acceptance")
    return accepted


async def test_in_december_2026_requests_and_acceptances_stand_and_wait_for_2027(
    mediation_app: MediationApp,
    feed: EventFeed,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = mediation_app
    app.set_today(date(2026, 12, 14))  # a Monday: its deadline (12-21) lies in 2026
    dispute = await licence_in_dispute(app, feed)
    earlier = await ok(app, dispute.licensee, "", request_body(dispute))
    assert (earlier["acceptance_deadline"], earlier["acceptance_deadline_pending"]) == (
        "2026-12-21",
        None,
    )

    # Mon 12-28: 12-29, 12-30, 12-31, then 2027, which the calendar lacks.
    app.set_today(date(2026, 12, 28))
    waiting = await ok(app, dispute.licensee, "", request_body(dispute))
    assert waiting["status"] == "requested"
    assert (waiting["acceptance_deadline"], waiting["acceptance_deadline_pending"]) == (None, 2027)
    # Accepted the same day: 12-28 + 30 = Wed 2027-01-27, provisional.
    accepted = await accepted_case(app, dispute)
    assert accepted["status"] == "accepted"
    assert (accepted["closing_deadline"], accepted["closing_deadline_provisional"]) == (
        "2027-01-27",
        True,
    )
    extended = await ok(
        app, dispute.mediator, f"/{accepted['id']}/extensions", {"days": 3, "reason": "补充证据"}
    )
    assert (extended["closing_deadline"], extended["closing_deadline_provisional"]) == (
        "2027-01-30",
        True,
    )
    assert extended["extensions"][0]["provisional"] is True
    [requested] = of_type(await staged_events(app.settings, waiting["id"]), "requested")
    assert (requested["acceptance_deadline"], requested["acceptance_deadline_pending"]) == (
        None,
        2027,
    )
    staged = await staged_events(app.settings, accepted["id"])
    [accepted_event] = of_type(staged, "accepted")
    assert accepted_event["closing_deadline_provisional"] is True
    [extended_event] = of_type(staged, "extended")
    assert (extended_event["closing_deadline"], extended_event["closing_deadline_provisional"]) == (
        "2027-01-30",
        True,
    )

    # The watch on the packaged calendar: the waiting cases are skipped, the tick does
    # not fail, the other case's alarm goes out, and the operator is told the year.
    caplog.set_level(logging.WARNING, logger="license.workers")
    assert await alerts(app, earlier["id"]) == [("deadline_overdue", "acceptance", "2026-12-21")]
    assert await alerts(app, waiting["id"]) == []
    assert await alerts(app, accepted["id"]) == []
    assert any(
        r.levelno == logging.WARNING and "calendar's 2027" in r.getMessage() for r in caplog.records
    )

    # With a calendar covering 2027 the watch counts them: the acceptance deadline
    # 12-29 1, 12-30 2, 12-31 3, (01-01 off, weekend) Mon 01-04 4, Tue 01-05 5, its
    # reminder owed on 12-30; the closing deadline Sat 01-30 rolls to Mon 02-01.
    covered = app.settings.model_copy(
        update={"calendar_file": calendar_file(tmp_path, with_2027=True)}
    )
    app.set_today(date(2026, 12, 30))
    assert await sweep_once(covered) >= 1
    assert await alerts(app, waiting["id"]) == [("deadline_due", "acceptance", "2027-01-05")]
    readers = dispute.licensee.headers(app.settings)
    now = (await app.client.get(f"/v1/mediation-cases/{waiting['id']}", headers=readers)).json()
    assert (now["acceptance_deadline"], now["acceptance_deadline_pending"]) == ("2027-01-05", None)
    now = (await app.client.get(f"/v1/mediation-cases/{accepted['id']}", headers=readers)).json()
    assert (now["closing_deadline"], now["closing_deadline_provisional"]) == ("2027-02-01", False)
    # From now on the alerts flow, each once (the watch of the packaged calendar sends
    # them too, from the days now counted).
    app.set_today(date(2027, 1, 6))
    assert await alerts(app, waiting["id"]) == [
        ("deadline_due", "acceptance", "2027-01-05"),
        ("deadline_overdue", "acceptance", "2027-01-05"),
    ]
    app.set_today(date(2027, 1, 27))  # 3 working days before 02-01: 01-27
    assert await alerts(app, accepted["id"]) == [("deadline_due", "closing", "2027-02-01")]


async def test_an_instance_given_a_calendar_with_2027_counts_at_once(
    mediation_app: MediationApp, feed: EventFeed, tmp_path: Path
) -> None:
    app = mediation_app
    app.set_today(date(2026, 12, 28))
    dispute = await licence_in_dispute(app, feed)
    # The instance the operator deployed with the new year: same database and clock.
    settings = app.settings.model_copy(
        update={
            "calendar_file": calendar_file(tmp_path, with_2027=True),
            "kafka_consumer_group": f"test-calendar-{uuid.uuid4().hex[:8]}",
        }
    )
    async with running_app(create_app(settings)) as client:
        covered = MediationApp(client, settings, app.clock_file)
        case = await ok(covered, dispute.licensee, "", request_body(dispute))
        assert (case["acceptance_deadline"], case["acceptance_deadline_pending"]) == (
            "2027-01-05",
            None,
        )
        accepted = await accepted_case(covered, dispute)
    assert (accepted["closing_deadline"], accepted["closing_deadline_provisional"]) == (
        "2027-01-27",
        False,
    )


async def sweep_once(settings: LicenseSettings) -> int:
    """One pass of the mediation deadline watch of an instance with ``settings``."""
    runtime = ServiceRuntime(
        settings, tables=infrastructure, migrations_dir=MIGRATIONS, publishes={topics.LICENSE}
    )
    try:
        return await mediation_sweep(runtime.uow, settings)
    finally:
        await runtime.engine.dispose()
