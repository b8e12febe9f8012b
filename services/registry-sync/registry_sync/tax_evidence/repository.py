"""The registration as the tax evidence reads it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from registry_sync.domain.registration import RegistrationStatus, TechContractCategory
from registry_sync.domain.tax_evidence import EvidenceParty, RegisteredContract
from registry_sync.models import TechContractRegistrationRecord


class RegisteredContracts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, registration_id: str) -> RegisteredContract | None:
        r = TechContractRegistrationRecord
        query = select(r).where(col(r.id) == registration_id)
        record = (await self.session.execute(query)).scalar_one_or_none()
        return None if record is None else _contract(record)


def _contract(record: TechContractRegistrationRecord) -> RegisteredContract:
    parties = tuple(
        EvidenceParty(role=str(p.get("role")), name=p.get("name"), uscc=p.get("uscc"))
        for p in record.parties
    )
    # Rows written before parties were kept still name each side by its USCC.
    if not parties:
        parties = (
            EvidenceParty("seller", None, record.seller_uscc),
            EvidenceParty("buyer", None, record.buyer_uscc),
        )
    return RegisteredContract(
        registration_id=record.id,
        status=RegistrationStatus(record.status),
        category=TechContractCategory(record.contract_category),
        application_number=record.application_number,
        patent_number=record.patent_number,
        parties=parties,
        signed_on=record.signed_on,
        effective_date=record.effective_date,
        period_end=record.period_end,
        registration_number=record.registration_number,
        registered_on=record.registered_on,
        certified_contract_value=record.certified_contract_value,
        certified_technology_value=record.certified_technology_value,
        currency=record.currency,
    )
