"""What the filings view is asked to record: plain values, no Kafka."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from registry_sync.domain.reconciliation import FilingType


@dataclass(frozen=True)
class RecordFilingFacts:
    """What one event says of a licence or transfer; None where it says nothing."""

    source_reference: str
    filing_type: FilingType
    application_number: str
    patent_number: str | None = None
    license_kind: str | None = None
    sellers: list[dict[str, Any]] | None = None
    buyers: list[dict[str, Any]] | None = None
    contract_value: Decimal | None = None
    started_on: date | None = None
    filing_number: str | None = None
    filed_on: date | None = None
