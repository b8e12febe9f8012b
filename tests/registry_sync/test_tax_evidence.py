"""Tax evidence of a registered contract: JSON and a PDF whose text reads back, on the real
stack; refused for a contract the office has not registered, hidden from strangers."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import httpx
import pytest
from pypdf import PdfReader

from registry_sync.config import RegistrySyncSettings
from registry_sync.domain.errors import NoTaxEvidence
from registry_sync.domain.registration import (
    ContractParty,
    PartyRole,
    RegistrationStatus,
    TechContractCategory,
    TechContractRegistration,
)
from registry_sync.domain.tax_evidence import tax_evidence
from shared.auth import OrgType
from shared.db.engine import asyncpg_dsn
from tests.support.stack import OPERATOR_SCOPES, Org, application_number, org

SELLER = "浙江大学"
BUYER = "杭州<新能>储能科技有限公司"  # markup characters in a name must print as written


def contract(**overrides: Any) -> TechContractRegistration:
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "source_reference": str(uuid.uuid4()),
        "status": RegistrationStatus.REGISTERED,
        "category": TechContractCategory.LICENSE,
        "application_number": "201710601862.3",
        "patent_number": "ZL201710601862.3",
        "seller_uscc": "12330000470003281P",
        "buyer_uscc": "91330100MA2H0X0X0X",
        "parties": (
            ContractParty(PartyRole.SELLER, SELLER, "12330000470003281P"),
            ContractParty(PartyRole.BUYER, BUYER, "91330100MA2H0X0X0X"),
        ),
        "contract_value": Decimal("50000.00"),
        "recorded_on": date(2026, 11, 1),
        "signed_on": date(2026, 11, 1),
        "effective_date": date(2026, 11, 1),
        "period_end": date(2030, 12, 31),
        "registration_number": "3301042026000123",
        "registered_on": date(2026, 11, 20),
        "certified_contract_value": Decimal("50000.00"),
        "certified_technology_value": Decimal("48000.00"),
        "currency": "CNY",
    }
    values.update(overrides)
    return TechContractRegistration(**values)


NOW = datetime(2026, 12, 6, 8, tzinfo=UTC)


@pytest.mark.unit
def test_only_a_registered_transfer_or_licence_contract_has_evidence() -> None:
    evidence = tax_evidence(contract(), NOW)
    assert evidence.document_number == "TE-3301042026000123"
    assert [p.name for p in evidence.sellers] == [SELLER]
    assert "财税〔2016〕36号" in evidence.basis
    transfer = tax_evidence(contract(category=TechContractCategory.TRANSFER_PATENT_RIGHT), NOW)
    assert transfer.contract_name == "技术转让合同（专利权转让）"
    for refused in (
        contract(status=RegistrationStatus.SUBMITTED, registration_number=None),
        contract(status=RegistrationStatus.REFUSED),
        contract(certified_technology_value=None),
        contract(category=TechContractCategory.CONSULTING),
    ):
        with pytest.raises(NoTaxEvidence):
            tax_evidence(refused, NOW)


async def insert_registration(
    settings: RegistrySyncSettings, seller: Org, buyer: Org, **overrides: Any
) -> str:
    registration_id = str(uuid.uuid4())
    number = application_number()
    row: dict[str, Any] = {
        "id": registration_id,
        "source_reference": str(uuid.uuid4()),
        "source_kind": "open_license",
        "application_number": number,
        "patent_number": f"ZL{number}",
        "contract_category": "license",
        "license_kind": "ordinary",
        "seller_uscc": seller.uscc,
        "buyer_uscc": buyer.uscc,
        "parties": json.dumps(
            [
                {"role": "seller", "name": seller.name, "uscc": seller.uscc},
                {"role": "buyer", "name": buyer.name, "uscc": buyer.uscc},
            ],
            ensure_ascii=False,
        ),
        "contract_value": Decimal("50000.00"),
        "currency": "CNY",
        "status": "registered",
        "signed_on": date(2026, 11, 1),
        "effective_date": date(2026, 11, 1),
        "recorded_on": date(2026, 11, 1),
        "registration_due": date(2026, 12, 1),
        "registration_number": "3301042026000123",
        "registered_on": date(2026, 11, 20),
        "certified_contract_value": Decimal("50000.00"),
        "certified_technology_value": Decimal("48000.00"),
        "created_at": datetime.now(UTC),
    }
    row.update(overrides)
    columns = ", ".join(row)
    values = ", ".join(f"${i}" for i in range(1, len(row) + 1))
    conn = await asyncpg.connect(asyncpg_dsn(settings.database_url))
    try:
        await conn.execute(
            f"INSERT INTO tech_contract_registrations ({columns}) VALUES ({values})",  # noqa: S608 - fixed column names
            *row.values(),
        )
    finally:
        await conn.close()
    return registration_id


async def test_the_parties_read_the_evidence_as_json_and_as_a_pdf_with_chinese_text(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings
) -> None:
    seller = org(OrgType.UNIVERSITY, SELLER)
    buyer = org(OrgType.ENTERPRISE, BUYER)
    registration_id = await insert_registration(registry_settings, seller, buyer)
    path = f"/v1/tech-contract-registrations/{registration_id}/tax-evidence"

    response = await registry_client.get(path, headers=seller.headers(registry_settings))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["registration_number"] == "3301042026000123"
    assert body["certified_technology_value"] == "48000.00"
    assert body["sellers"] == [{"role": "seller", "name": SELLER, "uscc": seller.uscc}]
    assert body["buyers"][0]["name"] == BUYER

    response = await registry_client.get(f"{path}.pdf", headers=buyer.headers(registry_settings))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "3301042026000123" in text
    assert SELLER in text
    assert BUYER in text
    assert "48,000.00" in text


async def test_evidence_is_refused_before_registration_and_hidden_from_strangers(
    registry_client: httpx.AsyncClient, registry_settings: RegistrySyncSettings
) -> None:
    seller = org(OrgType.UNIVERSITY, "清华大学")
    buyer = org(OrgType.ENTERPRISE, "北京某科技有限公司")
    # Waiting for the seller's estimate: nothing is certified yet.
    unregistered = await insert_registration(
        registry_settings,
        seller,
        buyer,
        status="awaiting_details",
        registration_number=None,
        registered_on=None,
        certified_contract_value=None,
        certified_technology_value=None,
    )
    for suffix in ("", ".pdf"):
        response = await registry_client.get(
            f"/v1/tech-contract-registrations/{unregistered}/tax-evidence{suffix}",
            headers=seller.headers(registry_settings),
        )
        assert response.status_code == 409, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith("/tax-evidence-unavailable")

    registered = await insert_registration(registry_settings, seller, buyer)
    stranger = org(OrgType.ENTERPRISE, "无关企业")
    response = await registry_client.get(
        f"/v1/tech-contract-registrations/{registered}/tax-evidence",
        headers=stranger.headers(registry_settings),
    )
    assert response.status_code == 404  # as for an id that does not exist
    operator = org(OrgType.OPERATOR, "平台运营方")
    response = await registry_client.get(
        f"/v1/tech-contract-registrations/{registered}/tax-evidence.pdf",
        headers=operator.headers(registry_settings, scopes=OPERATOR_SCOPES),
    )
    assert response.status_code == 200
    response = await registry_client.get(
        f"/v1/tech-contract-registrations/{uuid.uuid4()}/tax-evidence",
        headers=operator.headers(registry_settings, scopes=OPERATOR_SCOPES),
    )
    assert response.status_code == 404
