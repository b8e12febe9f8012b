"""What the filing (备案) use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RecordFiling:
    """The filing number and date from CNIPA's filing notice (备案通知书)."""

    license_id: str
    filing_number: str
    filed_on: date


@dataclass(frozen=True)
class RecordOfficeFiling:
    """The patent office filed the licence registry-sync submitted."""

    license_id: str
    filing_number: str
    filed_on: date


@dataclass(frozen=True)
class SendFilingAlerts:
    """One batch of the deadline watch: the reminders (``notice_days`` before the
    deadline) and alarms owed on ``today``."""

    today: date
    notice_days: int
    limit: int
