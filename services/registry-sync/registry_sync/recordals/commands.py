"""What the recordals' use cases are asked to do: plain values, no HTTP or Kafka."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from registry_sync.domain.patent_office import OfficeParty


@dataclass(frozen=True)
class FileLicense:
    """A licence in force, to file with the patent office (once per licence)."""

    license_id: str
    application_number: str
    patent_number: str
    licensors: tuple[OfficeParty, ...]
    licensee: OfficeParty
    kind: str
    effective_date: date
    term_end: date
    contract_value: Decimal | None


@dataclass(frozen=True)
class RegisterTransfer:
    """A signed transfer, to register with the patent office (once per deal)."""

    deal_id: str
    application_number: str
    patent_number: str
    transferors: tuple[OfficeParty, ...]
    transferees: tuple[OfficeParty, ...]
    signed_on: date
    contract_value: Decimal


@dataclass(frozen=True)
class AdvanceRecordals:
    """One pass of the recordal worker: submit what is pending, poll what is submitted."""

    limit: int
