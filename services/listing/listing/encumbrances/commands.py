"""What the encumbrance view is told by other services' events (plain data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from listing.domain.encumbrance import EncumbranceKind
from shared.domain.terms import ConsentSubject


@dataclass(frozen=True)
class RecordPledge:
    pledge_id: str
    application_numbers: tuple[str, ...]
    pledgee: str
    registered_on: date
    open_license_consented: bool
    registered_at: datetime  # when the pledge took effect (its event's time)


@dataclass(frozen=True)
class RecordPledgeeConsent:
    pledge_id: str
    application_numbers: tuple[str, ...]
    pledgee: str
    consent_to: ConsentSubject
    counterparty_uscc: str | None
    recorded_on: date


@dataclass(frozen=True)
class ReleasePledge:
    pledge_id: str
    application_numbers: tuple[str, ...]


@dataclass(frozen=True)
class RecordExclusiveLicense:
    """An exclusive or sole licence took effect (``granted_at``: its event's time)."""

    license_id: str
    application_number: str
    kind: EncumbranceKind
    licensee: str
    effective_from: date
    granted_at: datetime


@dataclass(frozen=True)
class ReleaseExclusiveLicense:
    """An exclusive or sole licence ended (expired, terminated or rescinded)."""

    license_id: str
    application_number: str
    kind: EncumbranceKind
    reason: str
    ended_on: date
