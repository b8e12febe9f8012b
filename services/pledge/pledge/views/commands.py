"""What other services' events tell pledge: its views of patents, declarations and
licences to keep (consumers translate each event into one of these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class PatentStatus:
    legal_status: str
    annual_fee_status: str
    suspended: bool
    under_preservation: bool


@dataclass(frozen=True)
class RecordPatent:
    application_number: str
    patent_type: str
    title: str
    patentees: tuple[dict[str, Any], ...]
    expiry_date: date
    status: PatentStatus
    ipc_codes: tuple[str, ...]


@dataclass(frozen=True)
class ChangePatentStatus:
    application_number: str
    status: PatentStatus


@dataclass(frozen=True)
class ChangePatentOwners:
    application_number: str
    patentees: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class RecordDeclarationStatus:
    """``announced_at`` is given with an announcement (status ``announced``)."""

    declaration_id: str
    application_number: str
    status: str
    announced_at: datetime | None = None


@dataclass(frozen=True)
class RecordLicense:
    license_id: str
    application_number: str
    kind: str
    licensee_name: str
    effective_date: date
    contract_value: Decimal | None


@dataclass(frozen=True)
class RecordLicenseEnd:
    license_id: str
    ended_on: date
    reason: str


@dataclass(frozen=True)
class RecordTransferAgreed:
    deal_id: str
    application_number: str
    transferees: str
    signed_on: date


@dataclass(frozen=True)
class EndTransfer:
    """The agreed transfer was recorded (the owner changes) or its deal failed."""

    deal_id: str
