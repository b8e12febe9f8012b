"""What the outcomes area is asked to record: one command per fact another service
published about a patent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class RecordLicense:
    license_id: str
    application_number: str
    licensee_uscc: str | None
    licensor_usccs: tuple[str, ...]
    effective_on: date
    contract_value: Decimal | None


@dataclass(frozen=True)
class RecordRoyalty:
    period_id: str
    license_id: str
    application_number: str
    amount_due: Decimal
    period_end: date


@dataclass(frozen=True)
class RecordTransfer:
    transfer_id: str
    application_number: str
    previous_owner_usccs: tuple[str | None, ...]
    owner_usccs: tuple[str | None, ...]
    effective_on: date


@dataclass(frozen=True)
class RecordPledge:
    pledge_id: str
    application_numbers: tuple[str, ...]
    pledgor_uscc: str | None
    pledgee_uscc: str | None
    secured_amount: Decimal | None
    registered_on: date


@dataclass(frozen=True)
class RecordImplementation:
    """An implementation listing recorded in listing (实施登记)."""

    implementation_id: str
    application_number: str
    recorded_on: date


@dataclass(frozen=True)
class CreditInventory:
    """An institution inventoried a patent: the patent's outcomes are credited to it."""

    application_number: str
    institution_uscc: str
    institution_name: str
