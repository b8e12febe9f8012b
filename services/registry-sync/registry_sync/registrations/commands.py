"""What registry-sync's use cases are asked to do: plain values, no HTTP or Kafka."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from registry_sync.domain.office import StatusOutcome, SubmissionOutcome
from registry_sync.domain.registration import RegistrationDetails


@dataclass(frozen=True)
class NamedParty:
    """An organisation as an event named it."""

    name: str
    uscc: str | None


@dataclass(frozen=True)
class RecordLicenseContract:
    """A granted licence, to register as a licence contract once it is filed (once per
    licence)."""

    license_id: str
    application_number: str
    patent_number: str | None
    license_kind: str | None
    # Set for a negotiated deal's licence.
    deal_id: str | None
    licensors: tuple[NamedParty, ...]
    licensee: NamedParty
    contract_value: Decimal | None
    currency: str
    effective_date: date
    term_end: date | None


@dataclass(frozen=True)
class RecordLicenseFiling:
    license_id: str
    filing_number: str
    filed_on: date


@dataclass(frozen=True)
class RecordTransferContract:
    """Both parties signed a transfer: a patent-right transfer contract to register."""

    deal_id: str
    application_number: str
    patent_number: str
    transferors: tuple[NamedParty, ...]
    transferees: tuple[NamedParty, ...]
    contract_value: Decimal
    currency: str
    signed_on: date


@dataclass(frozen=True)
class CorrectDetails:
    registration_id: str
    version: int
    details: RegistrationDetails


@dataclass(frozen=True)
class Resubmit:
    registration_id: str
    version: int


@dataclass(frozen=True)
class DeriveFromCatalogue:
    """The patent's catalogue entry arrived or changed: fill what it lets derive."""

    application_number: str


@dataclass(frozen=True)
class ClaimDue:
    """Lease up to ``limit`` registrations due for the office, for ``lease``."""

    limit: int
    lease: timedelta


@dataclass(frozen=True)
class RecordSubmission:
    registration_id: str
    outcome: SubmissionOutcome
    retry_base: timedelta


@dataclass(frozen=True)
class RecordOfficeStatus:
    registration_id: str
    outcome: StatusOutcome
    poll_interval: timedelta
