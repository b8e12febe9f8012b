"""One path through every service, as five real processes on the real broker and database:

a university registers a patent and declares an open licence -> license learns the
declaration -> an enterprise accepts and pays -> the licence is granted -> registry-sync
records a technology-contract registration -> webhooks has received the declaration;
pledge keeps its view of the catalogue, and a pledge registered there makes listing
refuse a new declaration on that patent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from shared.auth import OrgType
from shared.settings import ServiceSettings
from tests.e2e.conftest import System
from tests.support.stack import OPERATOR_SCOPES, application_number, eventually, org

pytestmark = pytest.mark.e2e

SETTINGS = ServiceSettings()  # the services' default development signing key


def patent(owner: Any, number: str) -> dict[str, Any]:
    return {
        "application_number": number,
        "title": "一种基于电化学阻抗谱的锂电池健康状态检测方法",
        "ipc_codes": ["H01M 10/48"],
        "region_code": "110108",
        "filing_date": "2019-05-20",
        "grant_date": "2021-08-03",
        "patentees": [
            {"name": owner.name, "uscc": owner.uscc, "share": "100", "party_type": "university"}
        ],
    }


def declaration(number: str) -> dict[str, Any]:
    return {
        "application_number": number,
        "terms": {
            "payment_mode": "running_royalty",
            "royalty_base": "net_sales",
            "royalty_rate": "3.5",
            "term_start": "2026-01-01",
            "term_end": "2030-12-31",
        },
        "description": "适用于储能电站电池簇在线监测。",
    }


async def test_walking_skeleton_crosses_all_five_services(
    system: System,
) -> None:
    university = org(OrgType.UNIVERSITY, "清华大学")
    enterprise = org(OrgType.ENTERPRISE, "深圳市新能储能科技有限公司")
    bank = org(OrgType.BANK, "中国工商银行深圳分行")
    operator = org(OrgType.OPERATOR, "平台运营方")
    uni = university.headers(SETTINGS)
    ent = enterprise.headers(SETTINGS)
    ops = operator.headers(SETTINGS, scopes=OPERATOR_SCOPES)
    url = {name: p.url for name, p in system.processes.items()}

    async with httpx.AsyncClient(timeout=15) as http:
        # listing: a patent, validated and normalised, and an announced open licence
        licensed = application_number(2019, 1)
        raw = "ZL" + licensed.replace(".", "")
        created = await http.post(
            f"{url['listing']}/v1/patents", json=patent(university, raw), headers=uni
        )
        assert created.status_code == 201, created.text
        assert created.json()["application_number"] == licensed
        draft = await http.post(
            f"{url['listing']}/v1/declarations", json=declaration(licensed), headers=uni
        )
        assert draft.status_code == 201, draft.text
        announced = await http.post(
            f"{url['listing']}/v1/declarations/{draft.json()['id']}/submit", headers=uni
        )
        assert announced.status_code == 200, announced.text
        assert announced.json()["status"] == "announced"
        declaration_id = announced.json()["id"]

        # license: learns the declaration from Kafka; the enterprise accepts and pays
        async def accept() -> dict[str, Any] | None:
            response = await http.post(
                f"{url['license']}/v1/licenses",
                json={"declaration_id": declaration_id, "field_of_use": "储能电池管理系统"},
                headers=ent,
            )
            return response.json() if response.status_code == 201 else None

        licence = await eventually(accept, timeout=30, interval=0.2)
        assert licence["terms_version"] == 1
        paid = await http.post(
            f"{url['license']}/v1/licenses/{licence['id']}/payments",
            json={
                "amount": {"amount": "50000.00", "currency": "CNY"},
                "voucher_reference": "ICBC-20261123-0001",
                "paid_on": str(date.today()),
            },
            headers=ent,
        )
        assert paid.status_code in (200, 201), paid.text
        assert paid.json()["status"] == "active"

        # registry-sync: a technology-contract registration for the licence
        async def registration() -> list[dict[str, Any]]:
            response = await http.get(
                f"{url['registry-sync']}/v1/tech-contract-registrations",
                params={"source_reference": licence["id"]},
                headers=ops,
            )
            assert response.status_code == 200, response.text
            items: list[dict[str, Any]] = response.json()["items"]
            return items

        registrations = await eventually(registration, timeout=30, interval=0.2)
        assert len(registrations) == 1
        assert registrations[0]["application_number"] == licensed
        assert registrations[0]["buyer_uscc"] == enterprise.uscc
        assert registrations[0]["contract_category"] == "license"

        # webhooks: received the published declaration for delivery
        async def received() -> list[dict[str, Any]]:
            response = await http.get(
                f"{url['webhooks']}/v1/outbound-events",
                params={
                    "type": "cn.ipmarket.listing.declaration.published.v1",
                    "subject": licensed,
                },
                headers=ops,
            )
            assert response.status_code == 200, response.text
            items: list[dict[str, Any]] = response.json()["items"]
            return items

        delivered = await eventually(received, timeout=30, interval=0.2)
        assert delivered[0]["data"]["declaration_id"] == declaration_id

        # pledge: its own view of the catalogue admits the pledge; the bank registers it
        pledged = application_number(2019, 1)
        created = await http.post(
            f"{url['listing']}/v1/patents", json=patent(university, pledged), headers=uni
        )
        assert created.status_code == 201, created.text

        async def apply() -> dict[str, Any] | None:
            response = await http.post(
                f"{url['pledge']}/v1/pledges",
                json={
                    "application_numbers": [pledged],
                    "pledgee": {"org_id": bank.org_id, "name": bank.name, "uscc": bank.uscc},
                    "secured_amount": {"amount": "3000000.00", "currency": "CNY"},
                    "debt_term_end": "2029-06-30",
                    "has_forfeiture_clause": False,
                },
                headers=uni,
            )
            if response.status_code == 201:
                return response.json()  # type: ignore[no-any-return]
            assert response.status_code in (404, 422), response.text
            return None

        pledge = await eventually(apply, timeout=30, interval=0.2)
        registered = await http.post(
            f"{url['pledge']}/v1/pledges/{pledge['id']}/registration",
            json={"registration_number": "Y2026980000123", "registered_on": str(date.today())},
            headers=bank.headers(SETTINGS),
        )
        assert registered.status_code == 200, registered.text
        assert registered.json()["status"] == "registered"

        # listing learns of the pledge and refuses a declaration without the bank's consent
        async def refused() -> dict[str, Any] | None:
            draft = await http.post(
                f"{url['listing']}/v1/declarations", json=declaration(pledged), headers=uni
            )
            assert draft.status_code == 201, draft.text
            submitted = await http.post(
                f"{url['listing']}/v1/declarations/{draft.json()['id']}/submit", headers=uni
            )
            if submitted.status_code == 200:
                pytest.fail("declaration on a pledged patent was announced")
            return submitted.json() if submitted.status_code == 422 else None

        # Submitting before listing saw the pledge would announce it; wait until it has.
        await eventually(lambda: _pledge_known(http, url["listing"], pledged, uni), timeout=30)
        problem = await refused()
        assert problem is not None
        assert problem["type"].endswith("/declaration-pledged-without-consent")
        assert bank.name in problem["detail"]


async def _pledge_known(
    http: httpx.AsyncClient, listing: str, number: str, headers: dict[str, str]
) -> bool:
    response = await http.get(f"{listing}/v1/patents/{number}/encumbrances", headers=headers)
    assert response.status_code == 200, response.text
    return any(e["kind"] == "pledge" for e in response.json()["items"])
