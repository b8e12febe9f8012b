"""Technology-contract registration (技术合同认定登记).

The seller registers a technology contract; registration yields a registration number and
certifies the contract value and the technology transaction value. Seed 001 (五) has a
concluded and filed open licence recognised as a technology contract, and (八) asks that
registration and patent licence/transfer filings share information.

Reconciliation keys between a registration and the filing it mirrors: the normalised
patent number, the parties' USCCs, contract category <-> filing type (licence or transfer),
licence kind, contract value, and dates (filing within 3 months of effect; registration
within about 30 days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

REGISTRATION_WINDOW = timedelta(days=30)


class TechContractCategory(StrEnum):
    DEVELOPMENT = "development"
    TRANSFER_PATENT_RIGHT = "transfer_patent_right"
    TRANSFER_APPLICATION_RIGHT = "transfer_application_right"
    TRANSFER_KNOW_HOW = "transfer_know_how"
    LICENSE = "license"
    CONSULTING = "consulting"
    SERVICE = "service"


class RegistrationStatus(StrEnum):
    PENDING_SUBMISSION = "pending_submission"
    SUBMITTED = "submitted"
    REGISTERED = "registered"
    REFUSED = "refused"


def category_for_license() -> TechContractCategory:
    """A patent licence (open or negotiated, any kind) is a licence contract."""
    return TechContractCategory.LICENSE


def category_for_transfer() -> TechContractCategory:
    """A recorded transfer of a granted patent is a patent-right transfer contract."""
    return TechContractCategory.TRANSFER_PATENT_RIGHT


@dataclass(frozen=True)
class TechContractRegistration:
    id: str
    source_reference: str
    application_number: str
    category: TechContractCategory
    seller_uscc: str | None
    buyer_uscc: str | None
    contract_value: Decimal | None
    effective_date: date
    recorded_on: date
    currency: str = "CNY"
    status: RegistrationStatus = RegistrationStatus.PENDING_SUBMISSION
    registration_number: str | None = None
    # When this service recorded it (the clock's instant); None until it is stored.
    created_at: datetime | None = None

    @property
    def registration_due(self) -> date:
        return self.effective_date + REGISTRATION_WINDOW
