"""Evidence for the VAT exemption on technology transfer income (技术转让免征增值税备查资料).

Income from technology transfer — a patent right or the right to apply, or a licence to
use a patent — is exempt from VAT (营业税改征增值税试点过渡政策的规定, 财税〔2016〕36号
附件3, 第一条第（二十六）项) when the contract is registered with a technology-contract
registration office. The seller keeps the registered contract and the office's
certification on file for the tax authority; this document gathers what the platform
knows of both, from the registration the office certified. The tax authority decides the
exemption: the document is evidence, not a ruling.

Only a registered transfer or licence contract has one: a contract the office has not
registered (or refused) certifies nothing yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from registry_sync.domain.errors import NoTaxEvidence
from registry_sync.domain.registration import (
    ContractParty,
    PartyRole,
    RegistrationStatus,
    TechContractCategory,
    TechContractRegistration,
)

EXEMPTION_BASIS = (
    "《营业税改征增值税试点过渡政策的规定》（财税〔2016〕36号附件3）第一条第（二十六）项："
    "纳税人提供技术转让、技术开发和与之相关的技术咨询、技术服务免征增值税。"
)

# Categories whose income is technology transfer income, with their names on the document.
QUALIFYING: dict[TechContractCategory, str] = {
    TechContractCategory.TRANSFER_PATENT_RIGHT: "技术转让合同（专利权转让）",
    TechContractCategory.TRANSFER_APPLICATION_RIGHT: "技术转让合同（专利申请权转让）",
    TechContractCategory.LICENSE: "技术转让合同（专利实施许可）",
}


@dataclass(frozen=True)
class TaxEvidence:
    document_number: str
    contract_name: str
    contract: TechContractRegistration
    sellers: tuple[ContractParty, ...]
    buyers: tuple[ContractParty, ...]
    registration_number: str
    registered_on: date
    certified_contract_value: Decimal
    certified_technology_value: Decimal
    basis: str
    issued_at: datetime


def tax_evidence(contract: TechContractRegistration, issued_at: datetime) -> TaxEvidence:
    """The evidence of a registered transfer or licence contract; refused for any other."""
    if contract.status is not RegistrationStatus.REGISTERED or (
        contract.registration_number is None
        or contract.registered_on is None
        or contract.certified_contract_value is None
        or contract.certified_technology_value is None
    ):
        raise NoTaxEvidence(
            f"registration {contract.id} is {contract.status.value}: tax "
            "evidence exists once the office has registered the contract and certified its "
            "values"
        )
    name = QUALIFYING.get(contract.category)
    if name is None:
        raise NoTaxEvidence(
            f"a {contract.category.value} contract is not a technology transfer or licence "
            "contract: this evidence covers transfer and licence income only"
        )
    return TaxEvidence(
        # One document per registration: the number says which certification it rests on.
        document_number=f"TE-{contract.registration_number}",
        contract_name=name,
        contract=contract,
        sellers=tuple(p for p in contract.parties if p.role is PartyRole.SELLER),
        buyers=tuple(p for p in contract.parties if p.role is PartyRole.BUYER),
        registration_number=contract.registration_number,
        registered_on=contract.registered_on,
        certified_contract_value=contract.certified_contract_value,
        certified_technology_value=contract.certified_technology_value,
        basis=EXEMPTION_BASIS,
        issued_at=issued_at,
    )
