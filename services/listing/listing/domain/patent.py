"""A patent as the catalogue knows it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from shared.domain import ApplicationNumber, PatentType, expiry_date


class LegalStatus(StrEnum):
    PENDING = "pending"  # filed, not granted
    VALID = "valid"
    LAPSED = "lapsed"  # e.g. annual fees not paid in the grace period
    INVALIDATED = "invalidated"
    EXPIRED = "expired"


class AnnualFeeStatus(StrEnum):
    PAID = "paid"
    UNPAID = "unpaid"


class PartyType(StrEnum):
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    ENTERPRISE = "enterprise"
    INDIVIDUAL = "individual"


@dataclass(frozen=True)
class Patentee:
    name: str
    uscc: str | None
    share: Decimal
    party_type: PartyType
    org_id: str | None = None


@dataclass
class Patent:
    application_number: ApplicationNumber
    patent_type: PatentType
    title: str
    filing_date: date
    patentees: list[Patentee]
    abstract: str | None = None
    ipc_codes: list[str] = field(default_factory=list)
    industry_codes: list[str] = field(default_factory=list)
    region_code: str | None = None
    grant_date: date | None = None
    legal_status: LegalStatus = LegalStatus.VALID
    annual_fee_status: AnnualFeeStatus = AnnualFeeStatus.PAID
    suspended: bool = False
    under_preservation: bool = False
    state_funded: bool = False
    term_adjustment_days: int = 0
    evaluation_report_favourable: bool | None = None

    @property
    def expiry_date(self) -> date:
        return expiry_date(self.patent_type, self.filing_date, self.term_adjustment_days)

    @property
    def patent_number(self) -> str:
        return self.application_number.patent_number

    def is_patentee(self, uscc: str | None) -> bool:
        return uscc is not None and any(p.uscc == uscc for p in self.patentees)

    def co_owner_usccs(self, declarant_uscc: str | None) -> set[str]:
        return {p.uscc for p in self.patentees if p.uscc and p.uscc != declarant_uscc}
