"""What the catalogue's use cases are asked to do (plain data: no HTTP, no events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from listing.domain.patent import AnnualFeeStatus, LegalStatus, Patentee
from shared.domain import ApplicationNumber


@dataclass(frozen=True)
class RegisterPatent:
    """Enter a granted patent into the catalogue (an API body or a bulk-import row)."""

    application_number: ApplicationNumber
    title: str
    filing_date: date
    patentees: tuple[Patentee, ...]
    abstract: str | None = None
    ipc_codes: tuple[str, ...] = ()
    region_code: str | None = None
    grant_date: date | None = None
    legal_status: LegalStatus = LegalStatus.VALID
    annual_fee_status: AnnualFeeStatus = AnnualFeeStatus.PAID
    state_funded: bool = False
    term_adjustment_days: int = 0
    evaluation_report_favourable: bool | None = None


@dataclass(frozen=True)
class UpdatePatentStatus:
    """Facts from the official register; ``None`` leaves a fact as it is."""

    application_number: str
    legal_status: LegalStatus | None = None
    annual_fee_status: AnnualFeeStatus | None = None
    suspended: bool | None = None
    under_preservation: bool | None = None
    reason: str | None = None


@dataclass(frozen=True)
class RecordTransfer:
    """The office registered a transfer of the patent right to ``patentees``.

    ``disposal_of`` names the pledge whose pledgee disposes of the patent (its own
    consent is not needed then); ``consents_checked`` says the pledgees' consents were
    checked before the office recorded it (a transfer negotiated in license)."""

    application_number: str
    patentees: tuple[Patentee, ...]
    transfer_reference: str
    effective_date: date
    evidence: tuple[str, ...] = ()
    disposal_of: str | None = None
    consents_checked: bool = False


@dataclass(frozen=True)
class ApplyOfficeStatus:
    """The patent office announced a change of legal status (registry-sync's feed)."""

    application_number: str
    office_event: str
    effective_on: date
    sequence: int
