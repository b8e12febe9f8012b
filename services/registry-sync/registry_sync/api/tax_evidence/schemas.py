"""Response bodies of the tax evidence."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from registry_sync.domain.registration import ContractParty, PartyRole, TechContractCategory
from registry_sync.domain.tax_evidence import TaxEvidence


class EvidencePartyPublic(BaseModel):
    role: PartyRole = Field(description="seller (让与人/许可人) | buyer (受让人/被许可人)")
    name: str = Field(examples=["浙江大学"])
    uscc: str | None = Field(examples=["12330000470003281P"])

    @classmethod
    def of(cls, party: ContractParty) -> EvidencePartyPublic:
        return cls(role=party.role, name=party.name, uscc=party.uscc)


class TaxEvidencePublic(BaseModel):
    document_number: str = Field(examples=["TE-3301042026000123"])
    registration_id: str
    contract_category: TechContractCategory
    contract_name: str = Field(examples=["技术转让合同（专利实施许可）"])
    application_number: str = Field(examples=["201710601862.3"])
    patent_number: str | None = Field(examples=["ZL201710601862.3"])
    signed_on: date | None
    effective_date: date
    period_end: date | None
    sellers: list[EvidencePartyPublic]
    buyers: list[EvidencePartyPublic]
    registration_number: str = Field(examples=["3301042026000123"])
    registered_on: date
    certified_contract_value: Decimal = Field(examples=["50000.00"])
    certified_technology_value: Decimal = Field(examples=["50000.00"])
    currency: str = "CNY"
    basis: str = Field(description="The rule the exemption rests on.")
    issued_at: datetime

    @classmethod
    def of(cls, evidence: TaxEvidence) -> TaxEvidencePublic:
        contract = evidence.contract
        return cls(
            document_number=evidence.document_number,
            registration_id=contract.id,
            contract_category=contract.category,
            contract_name=evidence.contract_name,
            application_number=contract.application_number,
            patent_number=contract.patent_number,
            signed_on=contract.signed_on,
            effective_date=contract.effective_date,
            period_end=contract.period_end,
            sellers=[EvidencePartyPublic.of(p) for p in evidence.sellers],
            buyers=[EvidencePartyPublic.of(p) for p in evidence.buyers],
            registration_number=evidence.registration_number,
            registered_on=evidence.registered_on,
            certified_contract_value=evidence.certified_contract_value,
            certified_technology_value=evidence.certified_technology_value,
            currency=contract.currency,
            basis=evidence.basis,
            issued_at=evidence.issued_at,
        )
