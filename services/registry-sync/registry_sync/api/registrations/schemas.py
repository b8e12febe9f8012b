"""Request and response bodies of the registry-sync API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from registry_sync.domain.registration import (
    IpType,
    PartyRole,
    RegistrationStatus,
    SourceKind,
    TechContractCategory,
)
from shared.http.types import RegionCodeStr


class ContractPartyPublic(BaseModel):
    role: PartyRole
    name: str = Field(examples=["清华大学"])
    uscc: str | None
    country: str | None = Field(examples=["CN"])
    region_code: str | None = Field(examples=["110108"])


class OfficeReasonPublic(BaseModel):
    field: str = Field(examples=["technology_value"])
    code: str = Field(examples=["above_contract_value"])
    message: str = Field(examples=["技术交易额不得超过合同成交额"])


class TechContractRegistrationPublic(BaseModel):
    id: str
    version: int = Field(description="Send it back with a change (concurrent edits).")
    source_reference: str = Field(description="The licence or transfer the contract records.")
    source_kind: SourceKind
    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str | None
    contract_category: TechContractCategory
    license_kind: str | None
    seller_uscc: str | None
    buyer_uscc: str | None
    parties: list[ContractPartyPublic]
    technical_field: str | None
    ip_type: IpType | None
    contract_value: Decimal | None = Field(examples=["50000.00"])
    technology_value: Decimal | None = Field(
        examples=["50000.00"], description="技术交易额: the part paid for the technology."
    )
    currency: str = "CNY"
    status: RegistrationStatus
    missing_fields: list[str] = Field(
        description="What the seller must complete before the contract is submitted.",
        examples=[["contract_value", "technology_value"]],
    )
    signed_on: date | None
    effective_date: date
    period_end: date | None
    filing_number: str | None
    filed_on: date | None
    recorded_on: date
    registration_due: date = Field(description="About 30 days after the contract's effect.")
    office_reference: str | None = Field(description="The office's receipt (受理号).")
    submitted_at: datetime | None
    submission_attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    refusal_reasons: list[OfficeReasonPublic]
    registration_number: str | None = Field(examples=["2026110108000001"])
    registered_on: date | None
    certified_contract_value: Decimal | None
    certified_technology_value: Decimal | None
    created_at: datetime


class PartyLocation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: int = Field(ge=0, description="The party's position in `parties`.")
    country: str = Field(pattern=r"^[A-Z]{2}$", examples=["CN"], description="ISO 3166 alpha-2.")
    region_code: RegionCodeStr | None = Field(
        default=None, description="GB/T 2260; required for a Chinese party."
    )


class RegistrationDetailsUpdate(BaseModel):
    """What the seller completes or corrects; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, description="The version read; a stale one answers 409.")
    contract_value: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    technology_value: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    technical_field: str | None = Field(default=None, min_length=1, max_length=200)
    signed_on: date | None = None
    period_end: date | None = None
    parties: list[PartyLocation] = Field(default_factory=list, max_length=20)


class ResubmissionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, description="The version read; a stale one answers 409.")
