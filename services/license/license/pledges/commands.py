"""What the pledge view is asked to learn, from the pledge service's events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.domain.terms import ConsentSubject


@dataclass(frozen=True)
class RecordPledge:
    """A pledge registered on these patents."""

    pledge_id: str
    application_numbers: tuple[str, ...]
    pledgee_name: str
    pledgee_org_id: str | None
    open_license_consented: bool
    registered_on: date


@dataclass(frozen=True)
class ReleasePledge:
    """A pledge cancelled on these patents."""

    pledge_id: str
    application_numbers: tuple[str, ...]
    cancelled_on: date


@dataclass(frozen=True)
class RecordPledgeeConsent:
    """A pledgee's written consent to a licence or to the open licence on these patents."""

    pledge_id: str
    application_numbers: tuple[str, ...]
    subject: ConsentSubject
    counterparty_uscc: str | None
    pledgee_name: str
    recorded_on: date
