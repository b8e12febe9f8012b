"""Response bodies of the registry-sync API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from registry_sync.domain.registration import RegistrationStatus, TechContractCategory


class TechContractRegistrationPublic(BaseModel):
    id: str
    source_reference: str = Field(description="The licence or transfer the contract records.")
    application_number: str = Field(examples=["201710601862.3"])
    contract_category: TechContractCategory
    seller_uscc: str | None
    buyer_uscc: str | None
    contract_value: Decimal | None = Field(examples=["50000.00"])
    currency: str = "CNY"
    status: RegistrationStatus
    registration_number: str | None
    effective_date: date
    recorded_on: date
    registration_due: date = Field(description="About 30 days after the contract's effect.")
    created_at: datetime
