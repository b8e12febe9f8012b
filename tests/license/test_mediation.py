"""Mediation through the HTTP API on an app whose clock the test moves: the acceptance
and closing deadlines across the 2025 Spring Festival with their reminders and alarms
(each once, with several sweepers), and a settlement signed by both parties that changes
the rate the next royalty report computes with."""

from __future__ import annotations

import asyncio
from datetime import date

from license.main import MIGRATIONS
from license.models import infrastructure
from license.workers import mediation_sweep
from shared.events import topics
from shared.events.schemas import LicenseTermsAmended
from shared.runtime import ServiceRuntime
from tests.license.client import assert_problem
from tests.license.conftest import MediationApp
from tests.license.factories import EventFeed
from tests.license.mediation_client import (
    call,
    licence_in_dispute,
    of_type,
    ok,
    request_body,
    staged,
)
from tests.support.stack import read_topic


async def sweep_twice_at_once(app: MediationApp) -> None:
    """Two more instances' sweeps at the same moment, besides the app's own worker."""
    runtimes = [
        ServiceRuntime(
            app.settings,
            tables=infrastructure,
            migrations_dir=MIGRATIONS,
            publishes={topics.LICENSE},
        )
        for _ in range(2)
    ]
    try:
        await asyncio.gather(*(mediation_sweep(r.uow, app.settings) for r in runtimes))
    finally:
        for runtime in runtimes:
            await runtime.engine.dispose()


async def alerts(app: MediationApp, case_id: str) -> list[tuple[str, str, str]]:
    """(due | overdue, which deadline, its day) of every alert staged for the case."""
    await sweep_twice_at_once(app)
    events = await staged(app.settings, case_id)
    return [
        (kind, e["deadline"], e["deadline_date"])
        for kind in ("deadline_due", "deadline_overdue")
        for e in of_type(events, kind)
    ]


async def test_deadlines_count_working_days_across_the_spring_festival(
    mediation_app: MediationApp, feed: EventFeed
) -> None:
    app = mediation_app
    app.set_today(date(2025, 1, 24))  # a Friday
    dispute = await licence_in_dispute(app, feed)
    case = await ok(app, dispute.licensee, "", request_body(dispute))
    case_id = case["id"]
    # Not counting Friday: Sun 01-26 (adjusted working day) 1, Mon 01-27 2, the holiday
    # 01-28 to 02-04, Wed 02-05 3, Thu 02-06 4, Fri 02-07 5.
    assert case["acceptance_deadline"] == "2025-02-07"
    assert case["status"] == "requested"
    # The reminder is owed 3 working days before 02-07: 02-06, 02-05, then back across
    # the holiday to Mon 01-27.
    app.set_today(date(2025, 1, 26))
    assert await alerts(app, case_id) == []
    app.set_today(date(2025, 1, 27))
    assert await alerts(app, case_id) == [("deadline_due", "acceptance", "2025-02-07")]
    app.set_today(date(2025, 2, 7))  # the deadline day is still in time
    assert await alerts(app, case_id) == [("deadline_due", "acceptance", "2025-02-07")]
    app.set_today(date(2025, 2, 8))  # Saturday, an adjusted working day
    expected = [
        ("deadline_due", "acceptance", "2025-02-07"),
        ("deadline_overdue", "acceptance", "2025-02-07"),
    ]
    assert await alerts(app, case_id) == expected

    # Accepted late, on Sat 02-08: 02-08 + 30 = Mon 03-10, a working day. Its reminder:
    # Fri 03-07, Thu 03-06, Wed 03-05.
    await ok(app, dispute.licensor, f"/{case_id}/response", {"agrees": True})
    accepted = await ok(app, dispute.mediator, f"/{case_id}/acceptance")
    assert (accepted["accepted_on"], accepted["closing_deadline"]) == ("2025-02-08", "2025-03-10")
    app.set_today(date(2025, 3, 4))
    assert await alerts(app, case_id) == expected
    app.set_today(date(2025, 3, 5))
    expected.insert(1, ("deadline_due", "closing", "2025-03-10"))
    assert await alerts(app, case_id) == expected

    # Extended by 10 days with its reason: 02-08 + 40 = Wed 03-20; a new deadline owed its
    # own reminder (Mon 03-17: 03-19, 03-18, 03-17), already due on 03-17.
    extended = await ok(
        app, dispute.mediator, f"/{case_id}/extensions", {"days": 10, "reason": "补充技术鉴定"}
    )
    assert extended["closing_deadline"] == "2025-03-20"
    assert extended["extensions"] == [
        {
            "days": 10,
            "reason": "补充技术鉴定",
            "recorded_on": "2025-03-05",
            "closing_deadline": "2025-03-20",
            "provisional": False,
        }
    ]
    app.set_today(date(2025, 3, 16))
    assert await alerts(app, case_id) == expected
    app.set_today(date(2025, 3, 17))
    expected.insert(2, ("deadline_due", "closing", "2025-03-20"))
    assert await alerts(app, case_id) == expected
    app.set_today(date(2025, 3, 21))
    expected.append(("deadline_overdue", "closing", "2025-03-20"))
    assert await alerts(app, case_id) == expected
    # Published too, keyed by the patent and without the parties' words.
    published = await read_topic(
        app.settings.kafka_bootstrap_servers,
        topics.LICENSE,
        until=lambda events: (
            sum(1 for e in events if e.data.get("mediation_case_id") == case_id) >= 8
        ),
    )
    mine = [e for e in published if e.data.get("mediation_case_id") == case_id]
    assert all(e.subject == case["application_number"] for e in mine)
    assert not any("含税销售额" in str(e.data) or "补充技术鉴定" in str(e.data) for e in mine)


async def test_a_settlement_both_parties_signed_changes_the_rate_of_the_next_report(
    mediation_app: MediationApp, feed: EventFeed
) -> None:
    app = mediation_app
    app.set_today(date(2025, 2, 10))
    dispute = await licence_in_dispute(app, feed)
    royalties = f"/v1/licenses/{dispute.license_id}/royalties"
    licensee = dispute.licensee.headers(app.settings)
    periods = (await app.client.get(royalties, headers=licensee)).json()
    y2024, y2025 = periods[0], periods[1]
    assert (y2024["period_start"], y2025["period_start"]) == ("2024-01-01", "2025-01-01")
    reported = await app.client.post(
        f"{royalties}/{y2024['id']}/report",
        json={"base_amount": {"amount": "1000000.00", "currency": "CNY"}},
        headers=licensee,
    )
    assert reported.json()["amount_due"]["amount"] == "35000.00"

    # This time the licensor asks, and the licensee answers.
    case = await ok(app, dispute.licensor, "", request_body(dispute))
    path = f"/{case['id']}"
    assert case["requester_side"] == "licensor"
    await ok(app, dispute.licensee, f"{path}/response", {"agrees": True})
    await ok(app, dispute.mediator, f"{path}/acceptance")
    session = {"held_on": "2025-02-10", "summary": "双方同意下调提成比例"}
    assert (await ok(app, dispute.mediator, f"{path}/sessions", session))["sessions"] == [session]
    assert_problem(
        await call(app, dispute.mediator, f"{path}/closure"), 422, "mediation-settlement-missing"
    )
    terms = {"royalty_rate": "2.0", "effective_from": "2025-01-01", "other_terms": "许可人补交资料"}
    await ok(app, dispute.mediator, f"{path}/settlement", terms)
    signed = await ok(app, dispute.licensee, f"{path}/settlement/signatures")
    assert [s["side"] for s in signed["settlement"]["signatures"]] == ["licensee"]
    assert signed["settlement"]["in_effect"] is False
    assert_problem(
        await call(app, dispute.licensee, f"{path}/settlement/signatures"),
        409,
        "mediation-settlement-already-signed",
    )
    # Signed by one side only: not in effect, and the case cannot close on it.
    assert_problem(
        await call(app, dispute.mediator, f"{path}/closure"),
        422,
        "mediation-settlement-not-signed",
        "licensor",
    )
    periods = (await app.client.get(royalties, headers=licensee)).json()
    assert periods[1]["royalty_rate"] == "3.5"
    await ok(app, dispute.licensor, f"{path}/settlement/signatures")
    closed = await ok(app, dispute.mediator, f"{path}/closure")
    assert (closed["status"], closed["closed_on"]) == ("settled", "2025-02-10")
    assert closed["settlement"]["in_effect"] is True
    assert_problem(
        await call(app, dispute.mediator, f"{path}/closure"), 409, "mediation-invalid-state"
    )

    # The licence keeps its accepted terms and shows the rate the settlement agreed.
    licence = (await app.client.get(f"/v1/licenses/{dispute.license_id}", headers=licensee)).json()
    assert licence["terms"]["royalty_rate"] == "3.5"
    assert licence["rate_amendments"] == [
        {
            "royalty_rate": "2.0",
            "effective_from": "2025-01-01",
            "mediation_case_id": case["id"],
            "agreed_on": "2025-02-10",
        }
    ]
    # The reported period keeps its amount; the periods from 2025 use the new rate.
    periods = (await app.client.get(royalties, headers=licensee)).json()
    assert [p["royalty_rate"] for p in periods[:3]] == ["3.5", "2", "2"]
    app.set_today(date(2026, 1, 5))
    report = await app.client.post(
        f"{royalties}/{y2025['id']}/report",
        json={"base_amount": {"amount": "1000000.00", "currency": "CNY"}},
        headers=licensee,
    )
    assert report.status_code == 200, report.text
    assert report.json()["amount_due"]["amount"] == "20000.00"

    events = await staged(app.settings, case["id"])
    [settled] = of_type(events, "settled")
    assert (settled["royalty_rate"], settled["effective_from"]) == ("2.0", "2025-01-01")
    amended = await read_topic(
        app.settings.kafka_bootstrap_servers,
        topics.LICENSE,
        until=lambda found: any(
            e.type == LicenseTermsAmended.event_type and e.data["mediation_case_id"] == case["id"]
            for e in found
        ),
    )
    [event] = [
        e
        for e in amended
        if e.data.get("mediation_case_id") == case["id"]
        and e.type == LicenseTermsAmended.event_type
    ]
    assert event.data["license_id"] == dispute.license_id
    assert event.data["effective_from"] == "2025-01-01"
