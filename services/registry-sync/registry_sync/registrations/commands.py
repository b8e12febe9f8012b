"""What registry-sync's use cases are asked to do: plain values, no HTTP or Kafka."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class RecordLicenseContract:
    """A granted licence, to register as a licence contract (once per licence)."""

    license_id: str
    application_number: str
    seller_uscc: str | None
    buyer_uscc: str | None
    contract_value: Decimal | None
    currency: str
    effective_date: date
