"""License's dependency aliases: who may call what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from license.config import LicenseSettings
from shared.auth import Principal, Scope
from shared.auth.dependencies import authenticate, require
from shared.auth.principal import PATENTEE_TYPES
from shared.http.dependencies import get_runtime

Caller = Annotated[Principal, Depends(authenticate)]
# Whoever can hold a patent can take a licence: enterprises, universities, research
# institutes and individuals.
Licensee = Annotated[Principal, Depends(require(*PATENTEE_TYPES, scope=Scope.WRITE))]


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
# Any organisation whose token may change something; the use case decides what its type
# may do (the regulator records credit, a party objects, anyone uploads evidence).
Writer = Annotated[Principal, Depends(require(scope=Scope.WRITE))]
