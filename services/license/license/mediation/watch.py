"""The mediation deadline watch's use cases: count the deadlines that waited for a year
the working-day calendar lacked once it covers it, send the reminders and alarms owed,
and tell which years the calendar still lacks."""

from __future__ import annotations

import logging

from license.domain.mediation_deadline import DeadlineAlert
from license.mediation.commands import SendMediationAlerts
from license.mediation.service import about_case, cases
from shared.db.uow import UnitOfWork
from shared.domain.calendar import WorkingDayCalendar
from shared.events.schemas import MediationDeadlineDue, MediationDeadlineOverdue

log = logging.getLogger(__name__)


async def send_mediation_alerts(
    uow: UnitOfWork, command: SendMediationAlerts, calendar: WorkingDayCalendar
) -> int:
    """Count the deadlines that waited for a year ``calendar`` now covers, then emit the
    reminders and alarms owed today, each once even with several instances watching:
    the rows are locked (others skipped) and the level sent moves forward in the same
    transaction as the event. A case whose count needs yet another year the calendar
    lacks keeps waiting (one warning naming the year); the others go on. Returns how
    many cases were acted on (counted or alerted)."""
    repo = cases(uow)
    acted = 0
    for case in await repo.cases_needing_deadline_alert(
        today=command.today, limit=command.limit, calendar_years=calendar.years
    ):
        counted = case.calendar_year_missing is not None
        if counted:
            case.count_deadlines(calendar)
            if case.calendar_year_missing is not None:
                log.warning(
                    "mediation case %s: a deadline waits for the working-day calendar's %s",
                    case.id,
                    case.calendar_year_missing,
                    extra={"year": case.calendar_year_missing, "mediation_case_id": case.id},
                )
        owed = case.next_alert(command.today)
        if owed is None:
            if counted:
                await repo.save(case)
                acted += 1
            continue
        which, level = owed
        running = case.open_deadline()
        assert running is not None  # an alert is owed for the deadline running
        about = {**about_case(case), "deadline": which.value, "deadline_date": running[1]}
        if level is DeadlineAlert.DUE:
            uow.emit(MediationDeadlineDue(**about))
        else:
            uow.emit(MediationDeadlineOverdue(**about))
        case.mark_alert_sent(which, level)
        await repo.save(case)
        acted += 1
    return acted


async def calendar_years_awaited(uow: UnitOfWork, calendar: WorkingDayCalendar) -> dict[int, int]:
    """The years ``calendar`` lacks that open cases' deadlines wait for, with how many
    cases wait for each: what the operator must add."""
    return await cases(uow).calendar_years_awaited(calendar.years)
