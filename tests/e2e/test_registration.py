"""A licence's technology contract registered across real processes: an open licence for a
fixed fee is taken and paid (listing, license) and filed -> registry-sync prepares its
registration from the licence and its catalogue view of the patent, submits it to the
registration office (the simulator process), and polls it -> the office decides after its
working days (its controllable clock is moved) -> registered with a 16-digit number ->
listing's patent timeline shows the registration's events, and the seller's tax evidence
(a PDF) names the number and both parties.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from shared.auth import OrgType
from shared.clock import move_clock
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.support.stack import OPERATOR_SCOPES, application_number, eventually, org, real_today

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()  # the services' default development signing key


async def test_a_filed_licence_is_registered_and_the_timeline_shows_it(system: System) -> None:
    university = org(OrgType.UNIVERSITY, "北京理工大学")
    enterprise = org(OrgType.ENTERPRISE, "深圳市新能储能科技有限公司")
    uni, ent = university.headers(SETTINGS), enterprise.headers(SETTINGS)
    ops = org(OrgType.OPERATOR, "平台运营方").headers(SETTINGS, scopes=OPERATOR_SCOPES)
    listing, license_ = system.url("listing"), system.url("license")
    registry, office = system.url("registry-sync"), system.url("tech-contract-office")
    number = application_number(2019, 1)
    today = real_today()

    async with httpx.AsyncClient(timeout=15) as http:
        created = await http.post(
            f"{listing}/v1/patents",
            json={
                "application_number": number,
                "title": "一种储能电池簇在线监测方法",
                "ipc_codes": ["H01M 10/48"],
                "region_code": "110108",
                "filing_date": "2019-05-20",
                "grant_date": "2021-08-03",
                "patentees": [
                    {
                        "name": university.name,
                        "uscc": university.uscc,
                        "share": "100",
                        "party_type": "university",
                    }
                ],
            },
            headers=uni,
        )
        assert created.status_code == 201, created.text
        draft = await http.post(
            f"{listing}/v1/declarations",
            json={
                "application_number": number,
                "terms": {
                    "payment_mode": "lump_sum",
                    "lump_sum_fee": "80000.00",
                    "term_start": str(today),
                    "term_end": f"{today.year + 3}-12-31",
                },
                "description": "适用于储能电站电池簇在线监测。",
            },
            headers=uni,
        )
        assert draft.status_code == 201, draft.text
        announced = await http.post(
            f"{listing}/v1/declarations/{draft.json()['id']}/submit", headers=uni
        )
        assert announced.status_code == 200, announced.text

        async def accept() -> dict[str, Any] | None:
            response = await http.post(
                f"{license_}/v1/licenses",
                json={"declaration_id": announced.json()["id"], "field_of_use": "储能电池管理"},
                headers=ent,
            )
            return response.json() if response.status_code == 201 else None

        licence = await eventually(accept, timeout=30, interval=0.2)
        paid = await http.post(
            f"{license_}/v1/licenses/{licence['id']}/payments",
            json={
                "amount": {"amount": "80000.00", "currency": "CNY"},
                "voucher_reference": "ICBC-20261206-0042",
                "paid_on": str(today),
            },
            headers=ent,
        )
        assert paid.status_code in (200, 201), paid.text

        async def registration(*statuses: str) -> dict[str, Any] | None:
            response = await http.get(
                f"{registry}/v1/tech-contract-registrations",
                params={"source_reference": licence["id"]},
                headers=ops,
            )
            assert response.status_code == 200, response.text
            items = response.json()["items"]
            return items[0] if items and items[0]["status"] in statuses else None

        waiting = await eventually(lambda: registration("awaiting_filing"), timeout=30)
        assert waiting["missing_fields"] == []
        filed = await http.post(
            f"{license_}/v1/licenses/{licence['id']}/filing",
            json={"filing_number": "2026990000742", "filed_on": str(today)},
            headers=uni,
        )
        assert filed.status_code == 201, filed.text

        submitted = await eventually(lambda: registration("submitted"), timeout=30)
        assert submitted["office_reference"]
        # The office decides after its working days: move its clock past them.
        move_clock(system.simulator_clocks["tech-contract-office"], by=timedelta(days=10))
        registered = await eventually(lambda: registration("registered"), timeout=30)
        assert len(registered["registration_number"]) == 16
        assert registered["registration_number"].isdigit()
        assert registered["certified_contract_value"] == "80000.00"
        assert registered["certified_technology_value"] == "80000.00"
        assert registered["filing_number"] == "2026990000742"
        contracts = (
            await http.get(f"{office}/_control/contracts", params={"application_number": number})
        ).json()
        assert len(contracts) == 1

        # The seller's tax evidence: the PDF's text names the number and both parties.
        pdf = await http.get(
            f"{registry}/v1/tech-contract-registrations/{registered['id']}/tax-evidence.pdf",
            headers=uni,
        )
        assert pdf.status_code == 200, pdf.text
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert registered["registration_number"] in text
        assert university.name in text
        assert enterprise.name in text

        async def timeline() -> list[str] | None:
            response = await http.get(f"{listing}/v1/patents/{number}/timeline", headers=uni)
            assert response.status_code == 200, response.text
            types = [e["event_type"] for e in response.json()["items"]]
            done = "cn.ipmarket.registry.tech_contract.registered.v1" in types
            return types if done else None

        types = await eventually(timeline, timeout=30)
        registry_events = [t for t in types if t.startswith("cn.ipmarket.registry.tech_contract.")]
        assert registry_events == [
            "cn.ipmarket.registry.tech_contract.recorded.v1",
            "cn.ipmarket.registry.tech_contract.details_changed.v1",
            "cn.ipmarket.registry.tech_contract.submitted.v1",
            "cn.ipmarket.registry.tech_contract.registered.v1",
        ]
