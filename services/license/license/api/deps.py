"""License's dependency aliases: who may call what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from license.config import LicenseSettings, working_calendar
from shared.auth import OrgType, Principal, Scope
from shared.auth.dependencies import authenticate, require
from shared.auth.principal import PATENTEE_TYPES
from shared.domain.calendar import WorkingDayCalendar
from shared.http.dependencies import get_runtime

Caller = Annotated[Principal, Depends(authenticate)]
# Whoever can hold a patent can take a licence: enterprises, universities, research
# institutes and individuals.
Licensee = Annotated[Principal, Depends(require(*PATENTEE_TYPES, scope=Scope.WRITE))]
# A licence's parties, and the operator acting on a court judgment (rescission).
PartyOrOperator = Annotated[
    Principal, Depends(require(*PATENTEE_TYPES, OrgType.OPERATOR, scope=Scope.WRITE))
]
Operator = Annotated[Principal, Depends(require(OrgType.OPERATOR, scope=Scope.OPERATE))]


@dataclass(frozen=True)
class FilingClock:
    """What a licence's filing alert is read against: today in Asia/Shanghai and the
    reminder lead the deadline watch uses."""

    today: date
    notice_days: int


def filing_clock(request: Request) -> FilingClock:
    settings: LicenseSettings = request.app.state.settings
    today = get_runtime(request).clock.today()
    return FilingClock(today=today, notice_days=settings.filing_notice_days)


FilingClockDep = Annotated[FilingClock, Depends(filing_clock)]

# The mediation organisation (调解组织) acting on the cases it was asked to mediate.
MediatorCaller = Annotated[Principal, Depends(require(OrgType.MEDIATOR, scope=Scope.WRITE))]
# Any organisation whose token may change something; the use case decides what its type
# may do (the regulator records credit, a party objects, anyone uploads evidence).
Writer = Annotated[Principal, Depends(require(scope=Scope.WRITE))]


def _working_calendar(request: Request) -> WorkingDayCalendar:
    settings: LicenseSettings = request.app.state.settings
    return working_calendar(settings)


# The working-day calendar deadlines count in (the setting calendar_file).
CalendarDep = Annotated[WorkingDayCalendar, Depends(_working_calendar)]
