"""What the licence use cases are asked to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from license.domain.declaration import LicenseTerms
from license.domain.license import Licensee, LicenseStatus
from license.domain.license_end import RescissionGround, TerminationReason
from license.domain.payment import Payment
from shared.domain.terms import LicenseKind


@dataclass(frozen=True)
class TakeOpenLicense:
    """Accept an announced declaration (取得开放许可)."""

    declaration_id: str
    field_of_use: str | None
    contact: str | None


@dataclass(frozen=True)
class RecordPayment:
    """A payment under a licence; ``royalty_period_id`` names the period it settles."""

    license_id: str
    payment: Payment
    royalty_period_id: str | None


@dataclass(frozen=True)
class GrantNegotiatedLicense:
    """A licence contract a patentee signed on its declared patent."""

    application_number: str
    kind: LicenseKind
    licensee: Licensee
    terms: LicenseTerms
    field_of_use: str | None
    effective_date: date


@dataclass(frozen=True)
class ListLicenses:
    """One page of licences, newest first, after ``after`` (created at, id)."""

    limit: int
    after: tuple[datetime, str] | None
    application_number: str | None
    declaration_id: str | None
    status: LicenseStatus | None


@dataclass(frozen=True)
class TerminateLicense:
    """One party's consent to end the licence on ``ended_on`` (the first day it is no
    longer in force)."""

    license_id: str
    ended_on: date
    reason: TerminationReason
    note: str | None


@dataclass(frozen=True)
class RescindLicense:
    """Rescind (解除) the licence for breach from ``ended_on``."""

    license_id: str
    ended_on: date
    ground: RescissionGround
    note: str | None


@dataclass(frozen=True)
class ExpireLicenses:
    """The deadline watch's pass: expire up to ``limit`` licences whose term ended."""

    today: date
    limit: int
